"""Form fields that list countries by their names in the reader's language, in its alphabetical order."""

from django import forms
from django.forms.models import ModelChoiceIterator

from members.names import sorted_by_name


class _ByLocalName(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for country in sorted_by_name(self.queryset):
            yield self.choice(country)


class CountryChoiceField(forms.ModelChoiceField):
    """A country select: labels from Country.__str__ (the active language), sorted with its collation."""

    iterator = _ByLocalName
