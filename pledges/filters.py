"""Filters of the public commitments explorer and its open-data exports (the same for both)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.filters import CheckboxMultiple
from members.models import IncomeGroup, WhoRegion
from pledges import catalogue
from pledges.models import Component, Lever, TrackStatus

EXPLORER_PARAMS = ["q", "lever", "component", "region", "income", "status", "standard", "page"]


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search the commitments"), method="search")
    lever = django_filters.MultipleChoiceFilter(label=_("Lever"), choices=Lever.choices, method="by_array",
                                                widget=CheckboxMultiple)
    component = django_filters.MultipleChoiceFilter(label=_("PHC component"), choices=Component.choices,
                                                    method="by_array", widget=CheckboxMultiple)
    region = django_filters.MultipleChoiceFilter(label=_("WHO region"), field_name="pledge__country__who_region",
                                                 choices=WhoRegion.choices, widget=CheckboxMultiple)
    income = django_filters.MultipleChoiceFilter(label=_("World Bank income group"),
                                                 field_name="pledge__country__income_group",
                                                 choices=IncomeGroup.choices, widget=CheckboxMultiple)
    status = django_filters.MultipleChoiceFilter(label=_("Progress"), choices=TrackStatus.choices,
                                                 method="by_status", widget=CheckboxMultiple)
    standard = django_filters.ChoiceFilter(label=_("Standard indicator"), choices=catalogue.choices,
                                           method="by_standard", empty_label=_("Any"))

    def search(self, queryset, name, value):
        """In the commitment's text and its indicators' names, ignoring accents and case."""
        term = value.strip()
        if not term:
            return queryset
        matching = Q(description__unaccent__icontains=term) | Q(indicators__name__unaccent__icontains=term)
        ids = queryset.model.objects.filter(matching).values("pk")
        return queryset.filter(pk__in=ids)

    def by_array(self, queryset, name, value):
        # Any of the ticked levers (or components): arrays overlap.
        return queryset.filter(**{f"{name}s__overlap": list(value)}) if value else queryset

    def by_standard(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=queryset.model.objects.filter(indicators__standard_code=value).values("pk"))

    def by_status(self, queryset, name, value):
        # The status stored when each report is published (pledges.services.refresh_statuses).
        return queryset.filter(status__in=value) if value else queryset
