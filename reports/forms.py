from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.fields import CountryChoiceField
from members.models import Country
from reports.models import Kind


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=Kind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=2000, max_value=2100,
        help_text=_("For the annual report."),
    )
    country = CountryChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False, to_field_name="iso3",
        help_text=_("For a country profile or a membership certificate."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1
