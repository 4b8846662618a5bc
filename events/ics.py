"""iCalendar (RFC 5545) for feeds and for invitations attached to e-mails."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event, Registration

PRODID = "-//PHC Coalition of Countries//Events//EN"


def uid(event: Event) -> str:
    # Stable across feed and invitations, so a calendar program keeps one copy of the event.
    return f"event-{event.pk}@{host()}"


def event_url(event: Event, language: str = settings.LANGUAGE_CODE) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("events:detail", args=[event.pk])


def _organizer() -> icalendar.vCalAddress:
    from email.utils import parseaddr

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = icalendar.vText(name or "PHC Coalition")
    return organizer


def host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "phc-coalition.org"


def all_day(*, uid: str, day: date, summary: str, url: str, description: str = "", category: str = "") -> icalendar.Event:
    """A whole-day item (a deadline, a term's end): a DATE, no zone, so it stays on its day everywhere."""
    vevent = icalendar.Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", day)
    vevent.add("dtend", day + timedelta(days=1))
    vevent.add("summary", summary)
    vevent.add("description", f"{description}\n\n{url}".strip())
    vevent.add("url", url)
    if category:
        vevent.add("categories", [category])
    vevent.add("transp", "TRANSPARENT")
    vevent.add("class", "PRIVATE")
    return vevent


def event_vevent(event: Event, *, language: str, url: str | None = None) -> icalendar.Event:
    """The event as a feed shows it (no online link); ``url``: another page than the public one."""
    return _vevent(event, with_link=False, language=language, url=url)


def publish(vevents, *, name: str, events=()) -> bytes:
    """A PUBLISH calendar of ``vevents``, with the zones of ``events`` (the ones with times)."""
    return _calendar(list(events), vevents, method="PUBLISH", name=name).to_ical()


def _vevent(event: Event, *, with_link: bool, language: str, url: str | None = None) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", uid(event))
    vevent.add("dtstamp", timezone.now())
    vevent.add("last-modified", event.updated_at)
    vevent.add("sequence", event.sequence)
    # Local times with the event's TZID: the event stays at the right hour across DST changes.
    vevent.add("dtstart", event.local_starts_at)
    vevent.add("dtend", event.local_ends_at)
    vevent.add("summary", event.title)
    url = url or event_url(event, language)
    description = event.description.strip()
    if with_link and event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
    vevent.add("description", f"{description}\n\n{url}".strip())
    location = event.venue
    if with_link and event.online_url:
        location = f"{location} / {event.online_url}" if location else event.online_url
    elif not location:
        location = "Online"
    vevent.add("location", location)
    vevent.add("url", url)
    vevent.add("categories", [event.get_kind_display()])
    vevent.add("class", "PUBLIC" if event.public else "PRIVATE")
    return vevent


def _calendar(events, vevents, *, method: str, name: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for vevent in vevents:
        cal.add_component(vevent)
    if events:
        # Only the years the events need: a full history of every zone makes feeds heavy.
        first = min(e.starts_at for e in events).date() - timedelta(days=366)
        last = max(e.ends_at for e in events).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=date(first.year, 1, 1), last_date=date(last.year + 1, 1, 1))
    return cal


def feed(events, *, name: str, language: str = settings.LANGUAGE_CODE) -> bytes:
    events = list(events)
    vevents = [_vevent(e, with_link=False, language=language) for e in events]
    return _calendar(events, vevents, method="PUBLISH", name=name).to_ical()


def invitation(registration: Registration, *, cancelled: bool = False) -> bytes:
    """A REQUEST (or CANCEL) that mail programs offer to add to (or remove from) the calendar."""
    event = registration.event
    vevent = _vevent(event, with_link=not cancelled, language=registration.language)
    vevent.add("organizer", _organizer())
    attendee = icalendar.vCalAddress(f"mailto:{registration.email}")
    attendee.params["cn"] = icalendar.vText(registration.name)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText("DECLINED" if cancelled else "ACCEPTED")
    vevent.add("attendee", attendee)
    if cancelled:
        vevent.add("status", "CANCELLED")
        del vevent["sequence"]
        vevent.add("sequence", event.sequence + 1)
    else:
        vevent.add("status", "CONFIRMED")
    return _calendar([event], [vevent], method="CANCEL" if cancelled else "REQUEST").to_ical()
