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
def focal_points(db):
    """``focal_points[user] = [country, ...]`` makes ``user`` a real focal point of those countries.

    Countries that are not members yet accede a year ago: only members today have focal points
    who speak for them (accounts.access).
    """
    from members.models import Membership
    from pledges import services as pledge_services
    from tests.factories import member

    class Registry(dict):
        def __setitem__(self, user, countries):
            for country in countries:
                if Membership.objects.of(country, on=timezone.localdate()) is None:
                    member(country.iso2, since=timezone.localdate() - timedelta(days=365))
                pledge_services.add_focal_point(country=country, user=user)

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
