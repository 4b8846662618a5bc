"""Directory filters: the considerations the Coalition uses for country engagement."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import IncomeGroup, WhoRegion

STATUS_CHOICES = [("current", _("Current members")), ("former", _("Former members")), ("all", _("All"))]
SIZE_CHOICES = [("small", _("Under 5 million")), ("medium", _("5 to 50 million")), ("large", _("Over 50 million"))]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
PLEDGE_CHOICES = [("none", _("No pledge yet")), ("draft", _("Pledge in preparation")), ("published", _("Published pledge"))]
SORT_CHOICES = [("name", _("Name")), ("accession", _("Accession date")), ("region", _("Region"))]


class CheckboxMultiple(forms.CheckboxSelectMultiple):
    option_template_name = "django/forms/widgets/checkbox_option.html"


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search by name"), method="search")
    status = django_filters.ChoiceFilter(label=_("Membership"), choices=STATUS_CHOICES, method="by_status",
                                         empty_label=None)
    region = django_filters.MultipleChoiceFilter(label=_("WHO region"), field_name="who_region",
                                                 choices=WhoRegion.choices, widget=CheckboxMultiple)
    income = django_filters.MultipleChoiceFilter(label=_("World Bank income group"), field_name="income_group",
                                                 choices=IncomeGroup.choices, widget=CheckboxMultiple)
    size = django_filters.MultipleChoiceFilter(label=_("Population"), field_name="size_class",
                                               choices=SIZE_CHOICES, widget=CheckboxMultiple)
    fragile = django_filters.ChoiceFilter(label=_("Fragile and conflict-affected setting"), choices=YES_NO,
                                          method="by_flag", empty_label=_("Any"))
    year = django_filters.MultipleChoiceFilter(label=_("Year of accession"), field_name="accession_year",
                                               choices=[], widget=CheckboxMultiple)
    core_group = django_filters.ChoiceFilter(label=_("Core Group seat"), choices=YES_NO, method="by_flag",
                                             empty_label=_("Any"))
    pledge = django_filters.MultipleChoiceFilter(label=_("PHC pledge"), field_name="pledge_status",
                                                 choices=PLEDGE_CHOICES, widget=CheckboxMultiple)
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORT_CHOICES, method="sort_by", empty_label=None)

    def __init__(self, data=None, *args, years=(), **kwargs):
        # Unset status and sort mean "current members" and "by name", so both are always applied.
        data = data.copy() if data is not None else None
        if data is not None:
            data.setdefault("status", "current")
            data.setdefault("sort", "name")
        super().__init__(data, *args, **kwargs)
        self.filters["year"].extra["choices"] = [(str(y), str(y)) for y in years]

    def search(self, queryset, name, value):
        """Any of the names, in any of the site's languages, ignoring accents and case; close spellings too."""
        term = value.strip()
        if not term:
            return queryset
        from django.conf import settings

        from members.names import matching_codes

        match = Q(name__unaccent__trigram_similar=term)
        for field in ["name", "name_official", "iso3"]:
            match |= Q(**{f"{field}__unaccent__icontains": term})
        codes = set().union(*(matching_codes(term, code) for code, _name in settings.LANGUAGES))
        return queryset.filter(match | Q(iso2__in=codes))

    def by_status(self, queryset, name, value):
        if value in ("current", "former"):
            return queryset.filter(membership_status=value)
        return queryset

    def by_flag(self, queryset, name, value):
        field = {"fragile": "fragile", "core_group": "core_group"}[name]
        if value in ("yes", "no"):
            return queryset.filter(**{field: value == "yes"})
        return queryset

    def sort_by(self, queryset, name, value):
        # The order is applied to the rows by members.directory.in_order (names come from CLDR).
        return queryset
