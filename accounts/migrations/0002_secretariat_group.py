from django.db import migrations

from accounts.roles import SECRETARIAT_GROUP


def create_group(apps, schema_editor):
    # Permissions are attached after every migration by accounts.roles.sync_secretariat_permissions,
    # since models of later migrations have no permissions yet at this point.
    apps.get_model("auth", "Group").objects.get_or_create(name=SECRETARIAT_GROUP)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
