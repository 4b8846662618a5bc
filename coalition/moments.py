"""The one way times are printed, always with their zone.

- **Event times** (start, end, registration opening and closing) in the event's own zone: the hour
  at the place where it happens, e.g. "12 March 2026, 19:37 CET".
- **Moments** (registered, confirmed, cancelled, confirmed as delegate, sent) in the reader's zone.
  People have no zone of their own on the platform, so the reader's zone is the site's,
  ``settings.TIME_ZONE`` (UTC), for staff and everyone else alike — never whatever zone happens to be
  active (the admin's event form activates the event's zone, which is how one registration once
  showed two different hours, neither with a zone).
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, tzinfo

from django.conf import settings
from django.utils.formats import date_format


def reader_zone() -> tzinfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def zone_label(moment: datetime) -> str:
    """The zone's abbreviation ("CET", "UTC", "EDT"), or its offset where it has none ("UTC+05")."""
    abbreviation = moment.tzname() or ""
    if abbreviation.isalpha():
        return abbreviation
    offset = moment.utcoffset()
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign, minutes = ("+" if minutes >= 0 else "−"), abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def in_zone(value: datetime | None, zone: tzinfo, *, fmt: str = "DATETIME_FORMAT") -> str:
    """``value`` at the wall clock of ``zone``, in the reader's language, with the zone's label."""
    if value is None:
        return ""
    local = value.astimezone(zone)
    return f"{date_format(local, fmt)} {zone_label(local)}"


def event_time(value: datetime | None, event, *, fmt: str = "DATETIME_FORMAT") -> str:
    return in_zone(value, event.zone, fmt=fmt)


def moment(value: datetime | None, *, fmt: str = "DATETIME_FORMAT") -> str:
    return in_zone(value, reader_zone(), fmt=fmt)
