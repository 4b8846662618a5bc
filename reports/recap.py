"""The recap of a Core Group annual meeting: the 12 months before the meeting, from the record.

A recap is asked for by its meeting date ``until``; it covers the days from the same date a year
before up to the day before the meeting. Figures are as they stood on ``as_of`` (the window's last
day, or today if the meeting is still ahead); action items show their status today.

Who may read it: the Secretariat, and focal points of Core Group countries — like the meeting itself
(``events.selectors``): a country seated today sees every recap, one seated on the meeting date sees
that one. Everything here runs a fixed number of queries.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from reports import selectors

EARLIEST = date(2001, 1, 1)

# The key figures, in the order the page and the PDF show them.
FIGURES = [
    ("accessions", _("accessions")),
    ("notices", _("notices of termination received")),
    ("withdrawals", _("notices withdrawn")),
    ("terminations", _("memberships ended")),
    ("seats_granted", _("Core Group seats granted")),
    ("seats_ended", _("Core Group seats ended")),
    ("pledges", _("pledges published")),
    ("progress_reports", _("progress reports published")),
    ("events", _("events held")),
    ("delegates", _("confirmed delegates")),
    ("countries", _("countries taking part")),
    ("decisions", _("decisions taken")),
    ("action_items", _("action items")),
    ("overdue", _("action items overdue")),
]


def latest_until(today: date) -> date:
    """A recap may be prepared for a meeting up to a year ahead."""
    return today + timedelta(days=366)


def year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def window(until: date) -> tuple[date, date]:
    """First day covered and the meeting date (excluded)."""
    return year_before(until), until


# --- Who may read it --------------------------------------------------------------------------------


def may_read(user, *, until: date, meeting=None) -> bool:
    """The Secretariat; focal points of a Core Group country, seated today or on the meeting date."""
    if access.is_secretariat(user):
        return True
    if meeting is not None:
        from events import selectors as event_selectors

        return event_selectors.can_view(user, meeting)
    countries = {c.pk for c in access.countries_of(user)}
    if not countries:
        return False
    from members.selectors import seats_on

    today = timezone.localdate()
    seated = {seat.country_id for seat in seats_on(today)} | {seat.country_id for seat in seats_on(min(until, today))}
    return bool(countries & seated)


def meetings_visible_to(user) -> list:
    """Core Group meetings the user may see, newest first, for choosing a recap."""
    from events import selectors as event_selectors
    from events.models import Kind

    return list(event_selectors.visible_events(user).filter(kind=Kind.CORE_GROUP).order_by("-starts_at", "-pk")[:20])


def meeting_by_pk(pk):
    from events.models import Event, Kind

    return Event.objects.filter(kind=Kind.CORE_GROUP, pk=pk).first()


# --- What it says ---------------------------------------------------------------------------------------


def participation_by_country(events: list) -> tuple[list[dict], dict[str, dict]]:
    """Confirmed delegates per country over ``events``, and per kind of event; one query.

    Rows: ``name`` (in the active language), ``iso3``, ``delegates``, ``events`` (events attended).
    Per kind: ``delegates`` and ``countries``.
    """
    from events.models import Registration
    from members.names import country_name, sort_key

    rows = (
        Registration.objects.delegations().filter(event__in=[e.pk for e in events])
        .order_by()  # the model's ordering would split the groups
        .values("country_id", "country__iso2", "country__iso3", "country__name", "event__kind")
        .annotate(delegates=Count("pk"), events=Count("event", distinct=True))
    ) if events else []
    countries: dict[int, dict] = {}
    kinds: dict[str, dict] = {}
    for row in rows:
        country = countries.setdefault(row["country_id"], {
            "name": country_name(row["country__iso2"], row["country__name"]), "iso3": row["country__iso3"],
            "delegates": 0, "events": 0,
        })
        country["delegates"] += row["delegates"]
        country["events"] += row["events"]  # an event has one kind, so the counts add up
        kind = kinds.setdefault(row["event__kind"], {"delegates": 0, "countries": 0})
        kind["delegates"] += row["delegates"]
        kind["countries"] += 1
    by_name = sort_key()
    return sorted(countries.values(), key=lambda c: (-c["delegates"], by_name(c["name"]))), kinds


def _decisions(start: date, end: date) -> list:
    from governance.models import ActionItem, Decision

    return list(
        Decision.objects.filter(meeting__event__starts_at__gte=selectors._aware(start),
                                meeting__event__starts_at__lt=selectors._aware(end))
        .select_related("meeting__event")
        .prefetch_related(Prefetch("action_items", queryset=ActionItem.objects.select_related("owner_country")
                                   .order_by("due_on", "pk")))
        .order_by("meeting__event__starts_at", "number")
    )


def recap_data(*, until: date, today: date | None = None) -> dict:
    """Every figure and list of the recap for a meeting on ``until``."""
    from events.models import Kind as EventKind
    from governance.models import ActionItem
    from members.models import CoreGroupSeat
    from members.names import sort_key
    from pledges.models import Pledge, ProgressReport

    today = today or timezone.localdate()
    start, end = window(until)
    as_of = min(end - timedelta(days=1), today)
    known = as_of + timedelta(days=1)  # what happened before this day is on the record
    by_name = sort_key()

    changes = selectors.membership_changes(selectors.memberships_between(start, end), start=start, end=end,
                                           as_of=as_of)

    seats = list(
        CoreGroupSeat.objects.filter(_between("start", start, known) | _between("end", start, known))
        .select_related("country")
    )
    granted = sorted((s for s in seats if start <= s.start < known), key=lambda s: (s.start, by_name(str(s.country))))
    ended = sorted((s for s in seats if s.end is not None and start <= s.end < known),
                   key=lambda s: (s.end, by_name(str(s.country))))

    window_q = {"published_at__gte": selectors._aware(start), "published_at__lt": selectors._aware(known)}
    pledges = list(
        Pledge.objects.filter(status=Pledge.Status.PUBLISHED, **window_q).select_related("country", "term")
        .order_by("published_at", "pk")
    )
    reports = list(
        ProgressReport.objects.filter(status=ProgressReport.Status.PUBLISHED, **window_q)
        .select_related("pledge__country").order_by("published_at", "pk")
    )

    events = selectors.events_held(start, known)
    participation, per_kind = participation_by_country(events)
    event_counts = Counter(e.kind for e in events)
    by_kind = [
        {"kind": value, "label": label, "events": event_counts[value],
         "delegates": per_kind.get(value, {}).get("delegates", 0),
         "countries": per_kind.get(value, {}).get("countries", 0)}
        for value, label in EventKind.choices if event_counts[value]
    ]

    decisions = _decisions(start, known)
    items = [item for d in decisions for item in d.action_items.all()]
    item_counts = Counter(item.status for item in items)
    items_by_status = [{"status": value, "label": label, "count": item_counts[value]}
                       for value, label in ActionItem.Status.choices]
    pending = {ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS}
    overdue = sum(1 for item in items if item.status in pending and item.due_on < today)

    figures = {
        "accessions": len(changes["accessions"]),
        "notices": len(changes["notices"]),
        "withdrawals": len(changes["withdrawals"]),
        "terminations": len(changes["terminations"]),
        "seats_granted": len(granted),
        "seats_ended": len(ended),
        "pledges": len(pledges),
        "progress_reports": len(reports),
        "events": len(events),
        "delegates": sum(c["delegates"] for c in participation),
        "countries": len(participation),
        "decisions": len(decisions),
        "action_items": len(items),
        "overdue": overdue,
    }
    return {
        "figure_list": [{"key": key, "value": figures[key], "label": label} for key, label in FIGURES],
        "until": until,
        "start": start,
        "last_day": end - timedelta(days=1),
        "as_of": as_of,
        "today": today,
        **changes,
        "seats_granted": granted,
        "seats_ended": ended,
        "pledges": pledges,
        "progress_reports": reports,
        "events": events,
        "events_by_kind": by_kind,
        "participation": participation,
        "decisions": decisions,
        "items_by_status": items_by_status,
        "figures": figures,
    }


def _between(field: str, start: date, end: date) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})
