"""Reads of the Core Group's records and the work plan that pages, the Today page, the dashboard,
reports and other apps share.

Who sees what: a meeting's record (agenda, minutes, decisions, action items) is seen by whoever may
see the meeting itself (``events.selectors.visible_events``: the Secretariat and focal points of
Core Group countries); decisions marked public, and the work plan, by everyone.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet

from events import selectors as event_selectors
from events.models import Kind
from governance.models import ActionItem, Activity, ActivityUpdate, Decision, Meeting, WorkPlan

# Items due within this many days are reminded (once per due date), and overdue ones once more.
REMINDER_DAYS = 14


def _items():
    return ActionItem.objects.select_related("owner_country", "event", "report").order_by("due_on", "pk")


def visible_meetings(user) -> QuerySet[Meeting]:
    """Records of the Core Group meetings ``user`` may see, newest first."""
    events = event_selectors.visible_events(user).filter(kind=Kind.CORE_GROUP)
    return Meeting.objects.filter(event__in=events).select_related("event").order_by("-event__starts_at", "-pk")


def meeting_record(user, event_pk: int) -> Meeting | None:
    """One meeting's record with its decisions and their action items (fixed queries), if ``user`` may see it."""
    return (
        visible_meetings(user).filter(event_id=event_pk)
        .prefetch_related(Prefetch("decisions", queryset=Decision.objects.order_by("number").prefetch_related(
            Prefetch("action_items", queryset=_items()))))
        .first()
    )


def public_decisions() -> QuerySet[Decision]:
    """Decisions the Secretariat marked public, newest meeting first."""
    return (Decision.objects.filter(public=True).select_related("meeting__event")
            .order_by("-meeting__event__starts_at", "meeting_id", "number"))


def items_due(*, today: date, days: int = REMINDER_DAYS) -> list[ActionItem]:
    """Items still to do that are overdue or due within ``days``, soonest first (one query)."""
    return list(
        _items().pending().filter(due_on__lte=today + timedelta(days=days))
        .select_related("decision__meeting__event")
    )


def pending_items_of(countries, *, today: date) -> dict[int, list[ActionItem]]:
    """Items still to do of each of ``countries`` (by country pk), soonest first, in one query.

    Each item carries ``overdue``.
    """
    by_country: dict[int, list[ActionItem]] = {}
    for item in (_items().pending().filter(owner_country__in=list(countries))
                 .select_related("decision__meeting__event")):
        item.overdue = item.due_on < today
        by_country.setdefault(item.owner_country_id, []).append(item)
    return by_country


def plan_years() -> list[int]:
    return list(WorkPlan.objects.order_by("-year").values_list("year", flat=True))


def work_plan(year: int) -> WorkPlan | None:
    """The plan of ``year`` with its activities, co-leads, links and timelines (a fixed number of queries)."""
    from members.models import Country

    activities = Activity.objects.order_by("line", "position", "starts_on", "pk").prefetch_related(
        Prefetch("co_leads", queryset=Country.objects.order_by("name")),
        Prefetch("updates", queryset=ActivityUpdate.objects.order_by("on", "pk")),
        "events",
        Prefetch("decisions", queryset=Decision.objects.select_related("meeting__event").order_by("number")),
    )
    return (WorkPlan.objects.filter(year=year).select_related("adopted_by__meeting__event")
            .prefetch_related(Prefetch("activities", queryset=activities)).first())


def activities_by_line(plan: WorkPlan | None) -> list[dict]:
    """The plan's activities grouped by line of work, in the lines' order; empty lines are kept."""
    from members.models import CoLead
    from members.names import sorted_by_name

    activities = list(plan.activities.all()) if plan is not None else []
    for activity in activities:
        activity.co_lead_list = sorted_by_name(activity.co_leads.all())
    return [
        {"line": value, "label": label, "activities": [a for a in activities if a.line == value]}
        for value, label in CoLead.Line.choices
    ]


def plan_summary(plan: WorkPlan | None) -> dict:
    """Counts of the plan's activities by status and their average progress (for reports)."""
    activities = list(plan.activities.all()) if plan is not None else []
    by_status = {value: 0 for value in Activity.Status.values}
    for activity in activities:
        by_status[activity.status] += 1
    average = round(sum(a.progress for a in activities) / len(activities)) if activities else 0
    return {"count": len(activities), "by_status": by_status, "average_progress": average}
