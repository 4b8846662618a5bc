from datetime import timezone as dt_timezone

from django import template

from coalition import moments

register = template.Library()


@register.inclusion_tag("events/_when.html")
def event_when(event, show_utc=True):
    """The event's times in its own zone, with the visitor's own zone beside them (filled in by a script)."""
    start, end = event.local_starts_at, event.local_ends_at
    return {
        "event": event,
        "start": start,
        "end": end,
        "same_day": start.date() == end.date(),
        "utc_start": event.starts_at.astimezone(dt_timezone.utc),
        "utc_end": event.ends_at.astimezone(dt_timezone.utc),
        "show_utc": show_utc,
    }


@register.filter
def event_time(value, event):
    """``{{ event.registration_closes_at|event_time:event }}``: in the event's zone, with the zone."""
    return moments.event_time(value, event)


@register.filter
def moment(value):
    """``{{ registration.created_at|moment }}``: in the reader's zone (the site's), with the zone."""
    return moments.moment(value)
