from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from members.fields import CountryChoiceField
from members.forms import DateInput
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
    until = forms.DateField(
        label=_("Meeting date"), required=False, widget=DateInput(),
        help_text=_("For a Core Group meeting recap: it covers the 12 months before this day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class RecapForm(forms.Form):
    """The meeting date of a recap, from the page's query string."""

    until = forms.DateField(
        label=_("Meeting date"), required=False, widget=DateInput(),
        help_text=_("The recap covers the 12 months before this day."),
    )

    def clean_until(self):
        from reports.recap import EARLIEST, latest_until

        until = self.cleaned_data["until"]
        today = timezone.localdate()
        if until is not None and not EARLIEST <= until <= latest_until(today):
            raise forms.ValidationError(
                _("Choose a date from %(first)s to %(last)s."),
                params={"first": date_format(EARLIEST, "DATE_FORMAT"), "last": date_format(latest_until(today), "DATE_FORMAT")},
                code="bad_until",
            )
        return until
