from django.contrib.postgres.operations import BtreeGistExtension, TrigramExtension, UnaccentExtension
from django.db import migrations


def load(apps, schema_editor):
    from members.reference_data import load_countries

    load_countries(apps.get_model("members", "Country"))


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [
        # Periods that must not overlap (exclusion constraints) and accent-blind search.
        BtreeGistExtension(),
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
