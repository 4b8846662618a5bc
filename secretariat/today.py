"""The Today page: what the Secretariat has to act on, one box per kind of work, each from one selector.

Each box reads a fixed number of queries whatever the number of rows (tests/secretariat/test_today.py),
shows its first rows with links to where the work is done, and says how many there are in all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition import mail
from events import selectors as event_selectors
from governance import selectors as governance_selectors
from members import dates
from members import selectors as member_selectors
from pledges import selectors as pledge_selectors
from reports import selectors as report_selectors

SHOWN = 8  # rows per box; the box's link leads to all of them
SOON_MONTHS = 3
EVENT_DAYS = 30
FAILED_REPORT_DAYS = 30


@dataclass
class Row:
    title: str
    url: str
    when: date | datetime | None = None
    detail: str = ""


@dataclass
class Box:
    key: str
    title: str
    rows: list[Row]
    count: int = 0
    more_url: str = ""
    empty: str = ""
    urgent: bool = False  # failures: shown first and marked, so they are not missed
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        self.count = self.count or len(self.rows)
        self.rows = self.rows[:SHOWN]

    @property
    def hidden(self) -> int:
        return max(self.count - len(self.rows), 0)


def _change(model_label: str, pk) -> str:
    return reverse(f"admin:{model_label}_change", args=[pk])


def letters_pending(*, today: date) -> Box:
    letters = list(member_selectors.pending_letters())
    return Box(
        "letters", _("Letters of interest to decide"),
        [Row(str(letter.country), _change("members_letterofinterest", letter.pk), letter.received_on,
             _("received")) for letter in letters],
        more_url=reverse("admin:members_letterofinterest_changelist") + "?status__exact=pending",
        empty=_("No letter is waiting."),
    )


def notices_this_month(*, today: date) -> Box:
    start = today.replace(day=1)
    notices = list(member_selectors.notices_received_between(start, dates.months_after(start, 1)))
    rows = []
    for notice in notices:
        if notice.withdrawn_on:
            detail = _("withdrawn")
        elif notice.late:
            detail = _("after the deadline: renews once more")
        else:
            detail = _("membership ends on %(date)s") % {"date": _day(notice.effective_end)}
        rows.append(Row(str(notice.membership.country), _change("members_membership", notice.membership_id),
                        notice.received_on, detail))
    return Box("notices", _("Notices received this month"), rows, empty=_("No notice this month."))


def _calendar_rows(*, today: date, kinds: set[str]) -> list[dict]:
    return [r for r in member_selectors.renewal_calendar(start=today, end=dates.months_after(today, SOON_MONTHS))
            if r["kind"] in kinds]


def deadlines_soon(*, today: date) -> Box:
    rows = _calendar_rows(today=today, kinds={"deadline"})
    return Box(
        "deadlines", _("Notice deadlines in the next three months"),
        [Row(str(r["membership"].country), _change("members_membership", r["membership"].pk), r["date"],
             _("last day for written notice")) for r in rows],
        more_url=reverse("admin:members_membership_calendar"), empty=_("No deadline in the next three months."),
    )


def terms_ending(*, today: date) -> Box:
    rows = _calendar_rows(today=today, kinds={"renewal", "termination"})
    return Box(
        "terms", _("Terms ending in the next three months"),
        [Row(str(r["membership"].country), _change("members_membership", r["membership"].pk), r["date"],
             _("renews automatically") if r["kind"] == "renewal" else _("membership ends (notice given)"))
         for r in rows],
        more_url=reverse("admin:members_membership_calendar"), empty=_("No term ends in the next three months."),
    )


def seats_ending(*, today: date) -> Box:
    seats = list(member_selectors.seats_ending_between(today, dates.months_after(today, SOON_MONTHS)))
    return Box(
        "seats", _("Core Group seats ending in the next three months"),
        [Row(str(seat.country), _change("members_coregroupseat", seat.pk), seat.end, _("seat ends"))
         for seat in seats],
        more_url=reverse("admin:members_coregroup_rotation"), empty=_("No seat ends in the next three months."),
    )


def awaiting_review(*, today: date) -> Box:
    rows = []
    for item in pledge_selectors.awaiting_review():
        obj = item["object"]
        if item["kind"] == "pledge":
            rows.append(Row(str(item["country"]), reverse("pledges:detail", args=[obj.pk]), item["submitted_at"],
                            _("pledge submitted")))
        else:
            rows.append(Row(str(item["country"]), reverse("pledges:progress", args=[obj.pk]), item["submitted_at"],
                            _("progress report %(year)s submitted") % {"year": obj.year}))
    return Box("review", _("Pledges and progress reports awaiting review"), rows,
               empty=_("Nothing is waiting for review."))


def reports_overdue(*, today: date) -> Box:
    rows = pledge_selectors.overdue_reports(today=today)
    return Box(
        "overdue", _("Progress reports overdue"),
        [Row(str(r["country"]), reverse("pledges:detail", args=[r["pledge"].pk]), r["due_on"],
             _("report %(year)s was due") % {"year": r["year"]}) for r in rows],
        more_url=reverse("admin:pledges_progressreport_changelist"), empty=_("No report is overdue."),
    )


def failed_mail(*, today: date) -> Box:
    failed = mail.failed()
    count = failed.count()
    return Box(
        "mail", _("E-mails that failed"),
        [Row(", ".join(m.to), _change("coalition_outgoingmail", m.pk), m.created_at, m.subject)
         for m in failed[:SHOWN]],
        count=count, urgent=bool(count),
        more_url=reverse("admin:coalition_outgoingmail_changelist") + "?status__exact=failed",
        empty=_("Every e-mail went out."),
    )


def failed_reports(*, today: date) -> Box:
    since = timezone.now() - timedelta(days=FAILED_REPORT_DAYS)
    failed = report_selectors.failed_since(since)
    count = failed.count()
    return Box(
        "reports", _("Reports that failed to build (last 30 days)"),
        [Row(_report_title(r), _change("reports_reportrequest", r.pk), r.requested_at, r.failure_reason[:120])
         for r in failed[:SHOWN]],
        count=count, urgent=bool(count),
        more_url=reverse("admin:reports_reportrequest_changelist") + "?status__exact=failed",
        empty=_("No report failed."),
    )


def events_to_confirm(*, today: date) -> Box:
    now = timezone.now()
    events = list(event_selectors.registrations_to_confirm(start=now, end=now + timedelta(days=EVENT_DAYS)))
    rows = []
    for event in events:
        parts = []
        if event.waitlisted:
            parts.append(ngettext("%(count)d on the waiting list", "%(count)d on the waiting list",
                                 event.waitlisted) % {"count": event.waitlisted})
        if event.delegates_to_confirm:
            parts.append(ngettext("%(count)d delegate to confirm", "%(count)d delegates to confirm",
                                  event.delegates_to_confirm) % {"count": event.delegates_to_confirm})
        rows.append(Row(event.title, _change("events_event", event.pk), event.starts_at,
                        "; ".join(parts) or _("nothing to confirm")))
    return Box("events", _("Events in the next 30 days"), rows,
               more_url=reverse("admin:events_event_changelist"), empty=_("No event in the next 30 days."),
               extra={"to_confirm": sum(1 for e in events if e.waitlisted or e.delegates_to_confirm)})


def action_items_due(*, today: date) -> Box:
    items = governance_selectors.items_due(today=today)
    rows = []
    for item in items:
        owner = str(item.owner_country) if item.owner_country_id else _("The Secretariat")
        late = item.due_on < today
        rows.append(Row(f"{owner}: {item.description[:80]}", _change("governance_actionitem", item.pk), item.due_on,
                        _("overdue") if late else _("due")))
    return Box(
        "action_items", _("Core Group action items due or overdue"), rows,
        more_url=reverse("admin:governance_actionitem_changelist"),
        empty=_("No action item is due in the next 14 days."),
    )


BOXES = [
    letters_pending, notices_this_month, deadlines_soon, terms_ending, seats_ending, awaiting_review,
    reports_overdue, events_to_confirm, action_items_due, failed_mail, failed_reports,
]


def work_queue(*, today: date) -> list[Box]:
    """Every box, failures first when there are any, then the rest in the order of the Secretariat's day."""
    boxes = [make(today=today) for make in BOXES]
    return sorted(boxes, key=lambda b: not b.urgent)


def _day(day: date) -> str:
    from django.utils.formats import date_format

    return date_format(day)


def _report_title(report) -> str:
    title = report.get_kind_display()
    if report.year:
        title = f"{title} {report.year}"
    if report.country_id:
        title = f"{title} — {report.country}"
    return title
