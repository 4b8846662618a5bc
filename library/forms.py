from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from library.selectors import ENTRY_KINDS, Filters
from members.models import WhoRegion
from pledges.models import Lever

# Longer queries are dropped by the page cache (coalition.http.known_query); the box says so by its size.
MAX_QUERY_LENGTH = 100


class CountryIdsField(forms.TypedMultipleChoiceField):
    """Country ids from the facet's boxes; which countries exist is for the search to find out."""

    def valid_value(self, value):
        return str(value).isdigit() and len(str(value)) < 10


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), required=False, max_length=MAX_QUERY_LENGTH)
    kind = forms.MultipleChoiceField(label=_("Kind"), choices=ENTRY_KINDS, required=False)
    lever = forms.MultipleChoiceField(label=_("Lever of the PHC Operational Framework"), choices=Lever.choices,
                                      required=False)
    region = forms.MultipleChoiceField(label=_("WHO region"), choices=WhoRegion.choices, required=False)
    country = CountryIdsField(label=_("Country"), coerce=int, required=False)
    language = forms.MultipleChoiceField(label=_("Language of the original"), choices=settings.LANGUAGES,
                                         required=False)

    def filters(self) -> Filters:
        """What was valid of the request (a bad value is named in the form's errors and left out)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Filters(
            q=(data.get("q") or "").strip(), kinds=data.get("kind") or [], levers=data.get("lever") or [],
            regions=data.get("region") or [], countries=data.get("country") or [],
            languages=data.get("language") or [],
        )
