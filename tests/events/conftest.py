from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import Kind
from members.models import Country


@pytest.fixture
def kz(db):
    return Country.objects.get(iso2="KZ")


@pytest.fixture
def fr(db):
    return Country.objects.get(iso2="FR")


@pytest.fixture
def focal_points(monkeypatch):
    """``focal_points[user] = [country, ...]`` makes ``user`` a focal point of those countries."""
    mapping = {}

    class Registry(dict):
        def __setitem__(self, user, countries):
            mapping[user.pk] = list(countries)

    monkeypatch.setattr("pledges.selectors.focal_point_countries", lambda user: mapping.get(user.pk, []))
    return Registry()


@pytest.fixture
def core_group(monkeypatch):
    """``core_group.extend([...])`` seats countries in the Core Group (on every day)."""
    seats = []
    monkeypatch.setattr("members.selectors.core_group_on", lambda day: list(seats))
    return seats


def make_event(**fields):
    start = fields.pop("starts_at", timezone.now().replace(second=0, microsecond=0) + timedelta(days=30))
    fields.setdefault("title", "Workshop on governance")
    fields.setdefault("kind", Kind.WEBINAR)
    fields.setdefault("timezone", "Europe/Zurich")
    fields.setdefault("online_url", "https://meet.example.org/secret-room")
    return services.create_event(starts_at=start, ends_at=fields.pop("ends_at", start + timedelta(hours=2)), **fields)
