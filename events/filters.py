import django_filters
from django.utils.translation import gettext_lazy as _

from events.models import Event, Kind, Theme


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All kinds"))
    theme = django_filters.ChoiceFilter(label=_("Theme"), choices=Theme.choices, empty_label=_("All themes"))

    class Meta:
        model = Event
        fields = ["kind", "theme"]
