from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from events import selectors, services
from events.models import Kind
from tests.events.conftest import make_event
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_participation_of_a_country_lists_past_events_with_attendance(kz, fr, core_group):
    staff = StaffFactory()
    now = timezone.now()
    earlier = make_event(title="Earlier workshop", starts_at=now + timedelta(days=1))
    later = make_event(title="Later webinar", starts_at=now + timedelta(days=5))
    core = make_event(title="Core meeting", kind=Kind.CORE_GROUP, starts_at=now + timedelta(days=3))
    french_only = make_event(title="French only", starts_at=now + timedelta(days=2))
    upcoming = make_event(title="Still to come", starts_at=now + timedelta(days=60))
    for event in (earlier, later, core, upcoming):
        services.register(event=event, name="Delegate 1", email="d1@kz.example.org", country=kz, by=staff)
        services.register(event=event, name="Delegate 2", email="d2@kz.example.org", country=kz, by=staff)
    cancelled = services.register(event=later, name="Delegate 3", email="d3@kz.example.org", country=kz, by=staff)
    services.cancel(registration=cancelled)
    services.register(event=french_only, name="Français", email="f@fr.example.org", country=fr)

    with time_machine.travel(now + timedelta(days=10)):
        services.mark_attendance(registrations=earlier.registrations.filter(email="d1@kz.example.org"), attended=True)
        services.mark_attendance(registrations=earlier.registrations.filter(email="d2@kz.example.org"), attended=False)

        public_view = selectors.participation_of(kz)
        assert [(p["event"].title, p["registered"], p["attended"]) for p in public_view] == [
            ("Later webinar", 2, None), ("Earlier workshop", 2, 1)]
        # The Core Group meeting is listed for those who may see it.
        staff_view = selectors.participation_of(kz, user=staff)
        assert [p["event"].title for p in staff_view] == ["Later webinar", "Core meeting", "Earlier workshop"]


def test_upcoming_events_for_a_focal_points_dashboard(kz, fr, focal_points, core_group):
    focal = UserFactory()
    focal_points[focal] = [kz]
    webinar = make_event(title="Webinar", capacity=1)
    closed = make_event(title="Members only", public=False, starts_at=timezone.now() + timedelta(days=40))
    core = make_event(title="Core meeting", kind=Kind.CORE_GROUP)
    make_event(title="Past", starts_at=timezone.now() - timedelta(days=40))
    services.register(event=webinar, name="A", email="a@kz.example.org", by=focal)
    services.register(event=webinar, name="B", email="b@kz.example.org", by=focal)
    services.register(event=webinar, name="C", email="c@fr.example.org", country=fr)

    events = selectors.upcoming_events_for(country=kz, user=focal)
    assert [e.title for e in events] == ["Webinar", "Members only"]
    assert (events[0].country_confirmed, events[0].country_waitlisted) == (1, 1)
    assert core not in events and closed in events

    core_group.append(kz)
    assert core in selectors.upcoming_events_for(country=kz, user=focal)
    # Another country's dashboard does not offer the meeting it has no seat for.
    assert core not in selectors.upcoming_events_for(country=fr, user=StaffFactory())


def test_demo_load_is_idempotent():
    from events import demo
    from events.models import Event

    demo.load()
    demo.load()
    assert Event.objects.count() == 3
    assert set(Event.objects.values_list("kind", flat=True)) == {Kind.GLOBAL, Kind.WORKSHOP, Kind.CORE_GROUP}
    assert not Event.objects.get(kind=Kind.CORE_GROUP).public


def test_no_events_are_offered_for_a_country_the_user_does_not_speak_for(kz, fr, focal_points):
    public = make_event(title="Public webinar")
    focal = UserFactory()
    focal_points[focal] = [kz]
    assert selectors.upcoming_events_for(country=kz, user=focal) == [public]
    assert selectors.upcoming_events_for(country=fr, user=focal) == []
