from django import forms
from django.utils.translation import gettext_lazy as _

from members.fields import CountryChoiceField
from members.models import Country


class RegistrationForm(forms.Form):
    """The public form, and (with ``countries``) the form focal points register delegates with."""

    name = forms.CharField(label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    country = CountryChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False,
        empty_label=_("— None (international organisation or other) —"),
    )

    def __init__(self, *args, countries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if countries is not None:
            # A focal point registers delegates of their own countries only.
            self.fields["country"].queryset = Country.objects.filter(pk__in=[c.pk for c in countries])
            self.fields["country"].required = True
            self.fields["country"].empty_label = None
            self.fields["country"].label = _("Delegate of")
