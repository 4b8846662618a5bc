from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Country, Membership
from pledges import services
from pledges.models import OPERATIONAL_LEVERS, STRATEGIC_LEVERS, CommitmentProgress, Component, Invitation, Pledge


class InvitationAdminForm(forms.ModelForm):
    """The admin's 'invite a focal point' form; its refusals are the service's, shown on the form."""

    class Meta:
        model = Invitation
        fields = ["country", "email", "name", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "country" not in self.fields:
            return  # the read-only page of a sent invitation
        members = Membership.objects.in_force(on=timezone.localdate()).values("country_id")
        self.fields["country"].queryset = Country.objects.filter(pk__in=members)
        self.fields["country"].help_text = _("Only countries that are members today can have focal points.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("country") and cleaned.get("email"):
            try:
                services.check_can_invite(country=cleaned["country"], email=cleaned["email"])
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return cleaned


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Choose a password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password and not only digits."),
    )
    password2 = forms.CharField(
        label=_("The same password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            candidate = get_user_model()(email=self.invitation.email, full_name=cleaned.get("full_name", ""))
            try:
                validate_password(p1, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PledgeForm(forms.ModelForm):
    class Meta:
        model = Pledge
        fields = ["title", "vision"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "vision": _("What primary health care will mean for the people of your country when the pledge is kept."),
        }


def _choices(values):
    return [(v.value, v.label) for v in values]


class CommitmentForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(
        label=_("Commitment"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What your government commits to do."),
    )
    strategic_levers = forms.MultipleChoiceField(
        label=_("Strategic levers"), required=False, choices=_choices(STRATEGIC_LEVERS),
        widget=forms.CheckboxSelectMultiple,
    )
    operational_levers = forms.MultipleChoiceField(
        label=_("Operational levers"), required=False, choices=_choices(OPERATIONAL_LEVERS),
        widget=forms.CheckboxSelectMultiple,
    )
    components = forms.MultipleChoiceField(
        label=_("PHC components it serves"), required=False, choices=Component.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    indicator = forms.CharField(label=_("Indicator"), max_length=300, required=False)
    baseline = forms.CharField(label=_("Baseline"), max_length=100, required=False)
    target = forms.CharField(label=_("Target"), max_length=100, required=False)
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_target_date(self):
        value = self.cleaned_data.get("target_date")
        if value and value <= timezone.localdate():
            raise ValidationError(_("The target date must be in the future."))
        return value

    def commitment_data(self) -> dict:
        data = self.cleaned_data
        return {
            "id": data.get("id"),
            "description": data.get("description", ""),
            "levers": list(data.get("strategic_levers") or []) + list(data.get("operational_levers") or []),
            "components": list(data.get("components") or []),
            "indicator": data.get("indicator", ""),
            "baseline": data.get("baseline", ""),
            "target": data.get("target", ""),
            "target_date": data.get("target_date"),
        }

    @staticmethod
    def initial_for(commitment) -> dict:
        strategic = {v.value for v in STRATEGIC_LEVERS}
        return {
            "id": commitment.pk,
            "description": commitment.description,
            "strategic_levers": [v for v in commitment.levers if v in strategic],
            "operational_levers": [v for v in commitment.levers if v not in strategic],
            "components": list(commitment.components),
            "indicator": commitment.indicator,
            "baseline": commitment.baseline,
            "target": commitment.target,
            "target_date": commitment.target_date,
        }


# absolute_max: a forged TOTAL_FORMS is refused at once instead of building that many forms.
CommitmentFormSet = forms.formset_factory(
    CommitmentForm, extra=1, can_delete=True, max_num=30, validate_max=True, absolute_max=30,
)


class ProgressEntryForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("— choose —"))] + list(CommitmentProgress.Status.choices),
    )
    current_value = forms.CharField(label=_("Current value of the indicator"), max_length=100, required=False)
    narrative = forms.CharField(label=_("Narrative"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ReviewForm(forms.Form):
    ACTIONS = ["return", "accept", "publish"]

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    comment = forms.CharField(label=_("Comments for the focal points"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

