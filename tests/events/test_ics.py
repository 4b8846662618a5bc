from datetime import datetime, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from events import services
from events.models import Kind
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
UTC = dt_timezone.utc


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_feed_lists_public_events_only_with_zones(client):
    geneva = make_event(title="WHA side event", kind=Kind.GLOBAL, timezone="Europe/Zurich", venue="Geneva",
                        online_url="")
    almaty = make_event(title="Workshop", kind=Kind.WORKSHOP, theme="governance", timezone="Asia/Almaty")
    make_event(title="Core Group annual meeting", kind=Kind.CORE_GROUP)
    make_event(title="Members' webinar", public=False)

    cal = _parse(client.get("/events/feed.ics"))

    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"WHA side event", "Workshop"}
    for event, vevent in ((geneva, events["WHA side event"]), (almaty, events["Workshop"])):
        assert vevent["DTSTART"].params["TZID"] == event.timezone
        assert vevent.decoded("DTSTART") == event.starts_at
        assert vevent.decoded("DTEND") == event.ends_at
        assert str(vevent["UID"]).startswith(f"event-{event.pk}@")
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"Europe/Zurich", "Asia/Almaty"}
    # The online link is for registered people only.
    assert b"secret-room" not in client.get("/events/feed.ics").content


def test_event_feed_across_the_autumn_daylight_saving_change(client):
    # The last Sunday of October 2027: Paris leaves summer time (UTC+2) for winter time (UTC+1) at 03:00.
    with time_machine.travel(datetime(2027, 9, 1, tzinfo=UTC)):
        overnight = services.create_event(
            title="Overnight webinar", kind=Kind.WEBINAR, timezone="Europe/Paris",
            starts_at=datetime(2027, 10, 30, 10, 0), ends_at=datetime(2027, 10, 31, 10, 0),
            online_url="https://meet.example.org/x",
        )
        sunday = services.create_event(
            title="Sunday morning", kind=Kind.WEBINAR, timezone="Europe/Paris",
            starts_at=datetime(2027, 10, 31, 10, 0), ends_at=datetime(2027, 10, 31, 12, 0),
            online_url="https://meet.example.org/y",
        )
        assert overnight.starts_at == datetime(2027, 10, 30, 8, 0, tzinfo=UTC)
        assert sunday.starts_at == datetime(2027, 10, 31, 9, 0, tzinfo=UTC)
        # Wall clock 10:00 to 10:00 the next day is 25 hours long.
        assert overnight.ends_at - overnight.starts_at == timedelta(hours=25)

        cal = _parse(client.get(f"/events/{sunday.pk}/event.ics"))
        (vevent,) = cal.walk("VEVENT")
        assert b"DTSTART;TZID=Europe/Paris:20271031T100000" in cal.to_ical()
        assert vevent.decoded("DTSTART").astimezone(UTC) == datetime(2027, 10, 31, 9, 0, tzinfo=UTC)
        (vtimezone,) = cal.walk("VTIMEZONE")
        assert vtimezone["TZID"] == "Europe/Paris"
        offsets = {(str(c["TZNAME"]), c["TZOFFSETTO"].td) for c in vtimezone.walk() if c.name in ("STANDARD", "DAYLIGHT")}
        assert ("CET", timedelta(hours=1)) in offsets and ("CEST", timedelta(hours=2)) in offsets

        cal = _parse(client.get(f"/events/{overnight.pk}/event.ics"))
        (vevent,) = cal.walk("VEVENT")
        assert vevent.decoded("DTEND").astimezone(UTC) - vevent.decoded("DTSTART").astimezone(UTC) == timedelta(hours=25)

        # The page shows the event's own zone, with winter time after the change.
        page = client.get(f"/en/events/{sunday.pk}/").content.decode()
        assert "10:00" in page and "CET" in page and "Europe/Paris" in page
        assert "UTC: 31 Oct 2027, 09:00" in page


def test_closed_event_feed_is_not_found_for_the_public(client):
    event = make_event(kind=Kind.CORE_GROUP)
    assert client.get(f"/events/{event.pk}/event.ics").status_code == 404
    assert client.get("/events/999999/event.ics").status_code == 404


def test_invitation_attached_to_the_confirmation(django_capture_on_commit_callbacks):
    event = make_event(timezone="Europe/Paris")
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(event=event, name="Aigerim", email="aigerim@example.org")
    (message,) = mail.outbox
    name, content, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar") and "method=REQUEST" in mimetype
    cal = Calendar.from_ical(content)
    assert cal["METHOD"] == "REQUEST"
    (vevent,) = cal.walk("VEVENT")
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert str(vevent["ATTENDEE"]) == "mailto:aigerim@example.org"
    assert str(vevent["ORGANIZER"]).startswith("mailto:")
    assert "secret-room" in str(vevent["LOCATION"])  # registered people get the link
    assert cal.walk("VTIMEZONE")
    # The signed token carries a timestamp, so compare what it names rather than its text.
    import re

    from events import tokens

    token = re.search(r"/events/registration/([^/\s]+)/", message.body).group(1)
    assert tokens.read(token) == registration.pk
