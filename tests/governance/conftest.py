from datetime import date, timedelta

import pytest
from django.utils import timezone

from events.models import Kind
from governance import services
from governance.models import ActionItem, Decision, Meeting
from members import core_group as seats
from members.models import Country
from tests.events.conftest import make_event
from tests.factories import member
from tests.pledges.conftest import make_focal_point


def since() -> date:
    return timezone.localdate() - timedelta(days=400)


@pytest.fixture
def kz(db):
    member("KZ", since=since())
    country = Country.objects.get(iso2="KZ")
    seats.grant_seat(country=country, start=since())
    return country


@pytest.fixture
def fr(db):
    """A member without a Core Group seat."""
    member("FR", since=since())
    return Country.objects.get(iso2="FR")


@pytest.fixture
def kz_focal_point(kz):
    return make_focal_point(kz, language="ru")


@pytest.fixture
def fr_focal_point(fr):
    return make_focal_point(fr)


def make_meeting(**fields) -> Meeting:
    starts = fields.pop("starts_at", timezone.now().replace(second=0, microsecond=0) - timedelta(days=10))
    event = make_event(title=fields.pop("title", "Core Group annual meeting"), kind=Kind.CORE_GROUP,
                       public=False, starts_at=starts)
    meeting = Meeting(event=event, agenda_en=fields.pop("agenda_en", "1. Recap\n2. Plans"), **fields)
    return services.save_meeting(meeting=meeting)


def make_decision(meeting=None, **fields) -> Decision:
    fields.setdefault("text_en", "The Core Group adopts the work plan.")
    return services.save_decision(decision=Decision(meeting=meeting or make_meeting(), **fields))


def make_item(decision=None, **fields) -> ActionItem:
    fields.setdefault("description", "Draft the concept note of the UNGA side event.")
    fields.setdefault("due_on", timezone.localdate() + timedelta(days=30))
    return services.save_action_item(item=ActionItem(decision=decision or make_decision(), **fields))


@pytest.fixture
def meeting(db):
    return make_meeting()
