from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import LetterOfInterest
from members.validators import validate_pdf


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LetterForm(forms.ModelForm):
    letter = forms.FileField(
        label=_("Signed letter (PDF)"), validators=[validate_pdf], widget=forms.FileInput(attrs={"accept": "application/pdf"}),
        help_text=_("The signed Declaration / Letter of Interest as a PDF, at most 10 MB."),
    )

    class Meta:
        model = LetterOfInterest
        fields = ["country", "received_on", "contact_name", "contact_title", "contact_email", "contact_phone",
                  "contact_language", "letter"]
        widgets = {"received_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The terms of reference: the letter names a contact person.
        if "contact_name" in self.fields:
            self.fields["contact_name"].required = True

    def clean_received_on(self):
        from members import services

        received_on = self.cleaned_data["received_on"]
        services.check_received_on(received_on)
        return received_on

    def clean(self):
        from members import services

        cleaned = super().clean()
        country, received_on = cleaned.get("country"), cleaned.get("received_on")
        if country is not None and received_on is not None and self.instance.pk is None:
            # Said now, on the form, rather than at Accept.
            services.check_can_accede(country=country, received_on=received_on)
        return cleaned


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 4}))


class CorrespondenceFields(forms.Form):
    """The letter behind a notice or its withdrawal: the scan, the country's reference, a note."""

    document = forms.FileField(
        label=_("Scanned letter (PDF)"), required=False, validators=[validate_pdf],
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
        help_text=_("The signed letter as a PDF, at most 10 MB."),
    )
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False,
                                help_text=_("The letter's reference or registry number, if it has one."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("For the Secretariat's record; not sent to the country."))


class NoticeForm(CorrespondenceFields):
    received_on = forms.DateField(
        label=_("Date the written notice was received"), widget=DateInput(),
        help_text=_("Notice received on or before the term's notice deadline ends the membership at the end of the term."),
    )
    field_order = ["received_on", "document", "reference", "note"]


class WithdrawNoticeForm(CorrespondenceFields):
    on = forms.DateField(label=_("Date the notice was withdrawn"), widget=DateInput())
    field_order = ["on", "document", "reference", "note"]
