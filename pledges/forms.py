from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.fields import CountryChoiceField
from members.models import Country, Membership
from members.validators import validate_pdf
from pledges import catalogue, display, services
from pledges.catalogue import Unit
from pledges.models import OPERATIONAL_LEVERS, STRATEGIC_LEVERS, CommitmentProgress, Component, Invitation, Pledge


class InvitationAdminForm(forms.ModelForm):
    """The admin's 'invite a focal point' form; its refusals are the service's, shown on the form."""

    class Meta:
        model = Invitation
        fields = ["country", "email", "name", "language"]
        field_classes = {"country": CountryChoiceField}

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


class FreeTextDirection:
    """What people type keeps its own direction, whatever the page's: an English vision typed in an
    Arabic page reads left to right, with its full stop at the end."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, (forms.TextInput, forms.Textarea)) and not isinstance(
                    field.widget, (forms.NumberInput, forms.EmailInput, forms.URLInput)):
                field.widget.attrs.setdefault("dir", "auto")


class PledgeForm(FreeTextDirection, forms.ModelForm):
    class Meta:
        model = Pledge
        fields = ["title", "language", "vision", "summary_en"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 6}), "summary_en": forms.Textarea(attrs={"rows": 3, "lang": "en"})}
        help_texts = {
            "vision": _("What primary health care will mean for the people of your country when the pledge is kept."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a post (an old form, a script), the language stays as it was.
        self.fields["language"].required = False


def _choices(values):
    return [(v.value, v.label) for v in values]


def _standard_choices():
    return [("", _("— none: our own indicator —"))] + catalogue.choices()


def _year_field(label):
    return forms.IntegerField(label=label, required=False, min_value=1990, max_value=2100,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "year"}))


def _number_field(label, **kwargs):
    # localize: typed and shown in the reader's format (3,2 in Russian and French).
    return forms.DecimalField(label=label, required=False, localize=True, max_digits=20, decimal_places=4,
                              widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "number"}), **kwargs)


class IndicatorForm(FreeTextDirection, forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Indicator"), max_length=300, required=False)
    standard_code = forms.ChoiceField(label=_("Standard indicator"), required=False, choices=_standard_choices)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.PERCENT, required=False)
    currency = forms.CharField(label=_("Currency (ISO code)"), max_length=3, required=False,
                               widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}))
    baseline_value = _number_field(_("Baseline"))
    baseline_year = _year_field(_("Baseline year"))
    target_value = _number_field(_("Target"))
    target_year = _year_field(_("Target year"))
    source = forms.CharField(label=_("Data source"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        standard = catalogue.get(cleaned.get("standard_code"))
        if standard is not None:
            # A standard indicator fixes its unit; its name is the default.
            cleaned["unit"] = standard.unit
            cleaned["name"] = cleaned.get("name") or str(standard.name)
        cleaned["unit"] = cleaned.get("unit") or Unit.PERCENT
        currency = (cleaned.get("currency") or "").strip().upper()
        if cleaned.get("unit") == Unit.CURRENCY:
            if len(currency) != 3 or not currency.isalpha():
                self.add_error("currency", _("Give the three-letter ISO code of the currency, e.g. USD."))
        else:
            currency = ""
        cleaned["currency"] = currency
        if cleaned.get("unit") == Unit.YES_NO:
            for f in ("baseline_value", "target_value"):
                if cleaned.get(f) not in (None, 0, 1):
                    self.add_error(f, _("For a yes/no indicator, write 1 for yes and 0 for no."))
        by, to = cleaned.get("baseline_year"), cleaned.get("target_year")
        if by and to and by > to:
            self.add_error("target_year", _("The target year cannot come before the baseline year."))
        return cleaned

    def indicator_data(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in IndicatorForm.base_fields if f != "DELETE"}

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("id") and not any(
            data.get(f) not in (None, "") for f in ("name", "standard_code", "baseline_value", "target_value", "source")
        )

    @staticmethod
    def initial_for(indicator) -> dict:
        initial = {f: getattr(indicator, f) if f != "id" else indicator.pk for f in IndicatorForm.base_fields}
        for f in ("baseline_value", "target_value"):
            initial[f] = display.plain(initial[f])
        return initial


IndicatorFormSet = forms.formset_factory(
    IndicatorForm, extra=1, can_delete=True, max_num=5, validate_max=True, absolute_max=5,
)


class CommitmentForm(FreeTextDirection, forms.Form):
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
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    responsible_institution = forms.CharField(label=_("Responsible institution"), max_length=300, required=False)
    budget = forms.CharField(
        label=_("Budget"), max_length=300, required=False,
        help_text=_("The amount and its source, e.g. “USD 12 million, state budget 2026–2028”."),
    )
    no_budget_needed = forms.BooleanField(label=_("No budget needed"), required=False)

    def __init__(self, *args, indicators_initial=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = IndicatorFormSet(
            self.data if self.is_bound else None, prefix=f"{self.prefix}-indicators", initial=indicators_initial,
        )

    def clean_target_date(self):
        value = self.cleaned_data.get("target_date")
        if value and value <= timezone.localdate():
            raise ValidationError(_("The target date must be in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("no_budget_needed") and (cleaned.get("budget") or "").strip():
            self.add_error("budget", _("Either give the budget or tick “no budget needed”, not both."))
        return cleaned

    def is_valid(self):
        # Both, always: every error is shown at once.
        own = super().is_valid()
        return self.indicators.is_valid() and own

    def has_changed(self):
        return super().has_changed() or self.indicators.has_changed()

    def commitment_data(self) -> dict:
        data = self.cleaned_data
        return {
            "id": data.get("id"),
            "description": data.get("description", ""),
            "levers": list(data.get("strategic_levers") or []) + list(data.get("operational_levers") or []),
            "components": list(data.get("components") or []),
            "target_date": data.get("target_date"),
            "responsible_institution": data.get("responsible_institution", ""),
            "budget": data.get("budget", ""),
            "no_budget_needed": bool(data.get("no_budget_needed")),
            "indicators": [
                f.indicator_data() for f in self.indicators.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.is_blank()
            ],
        }

    def is_empty(self) -> bool:
        data = self.commitment_data()
        return not data["id"] and not any(v for k, v in data.items() if k not in ("id", "no_budget_needed"))

    @staticmethod
    def initial_for(commitment) -> dict:
        strategic = {v.value for v in STRATEGIC_LEVERS}
        return {
            "id": commitment.pk,
            "description": commitment.description,
            "strategic_levers": [v for v in commitment.levers if v in strategic],
            "operational_levers": [v for v in commitment.levers if v not in strategic],
            "components": list(commitment.components),
            "target_date": commitment.target_date,
            "responsible_institution": commitment.responsible_institution,
            "budget": commitment.budget,
            "no_budget_needed": commitment.no_budget_needed,
        }


class _CommitmentFormSet(forms.BaseFormSet):
    def __init__(self, *args, indicators_initial=None, **kwargs):
        self.indicators_initial = indicators_initial or []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.indicators_initial):
            kwargs["indicators_initial"] = self.indicators_initial[index]
        return kwargs


# absolute_max: a forged TOTAL_FORMS is refused at once instead of building that many forms.
CommitmentFormSet = forms.formset_factory(
    CommitmentForm, formset=_CommitmentFormSet, extra=1, can_delete=True, max_num=30, validate_max=True,
    absolute_max=30,
)


def _evidence_links(value: str) -> str:
    validate = URLValidator(schemes=["http", "https"])
    lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
    for line in lines:
        try:
            validate(line)
        except ValidationError:
            raise ValidationError(
                _("“%(line)s” is not a web address; give one link per line, starting with https://.") % {"line": line}
            ) from None
    return "\n".join(lines)


class ProgressEntryForm(FreeTextDirection, forms.Form):
    completion = forms.ChoiceField(
        label=_("Completion, as you judge it"), required=False,
        choices=[("", _("— choose —"))] + list(CommitmentProgress.Completion.choices),
    )
    narrative = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    barriers = forms.CharField(label=_("Barriers met"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lessons = forms.CharField(label=_("Lessons learned"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Links to laws, budgets, statistics or reports; one per line."),
    )

    evidence_file = forms.FileField(
        label=_("Evidence document (PDF)"), required=False, validators=[validate_pdf],
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
        help_text=_("A law, decree, budget line or report, as a PDF of at most 10 MB; it replaces the one sent before."),
    )

    def clean_evidence(self):
        return _evidence_links(self.cleaned_data.get("evidence"))


class IndicatorValueForm(forms.Form):
    value = _number_field(_("Value"))
    year = _year_field(_("Year the value refers to"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("value") is not None and not cleaned.get("year"):
            self.add_error("year", _("Say which year the value refers to."))
        return cleaned


class ReviewForm(forms.Form):
    ACTIONS = ["comment", "return", "accept", "publish"]

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    comment = forms.CharField(label=_("Comments for the focal points"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
