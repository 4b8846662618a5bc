"""What a Secretariat member's private calendar feed holds: the dates the Secretariat works to.

Term ends (renewals and terminations), notice deadlines, Core Group seat ends, progress reports
falling due, and every event (closed meetings included). Each item has a UID of its own that does
not change when its dates do, so a calendar program updates its copy instead of adding another.
Whole-day items for dates; events at their own local times, as the public feed gives them.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events import ics

# From a year back (what just happened) to three years ahead (the next renewals and their deadlines).
DAYS_BACK = 365
DAYS_AHEAD = 3 * 365


def window(today=None):
    today = today or timezone.localdate()
    return today - timedelta(days=DAYS_BACK), today + timedelta(days=DAYS_AHEAD)


def _admin(name: str, pk) -> str:
    return settings.SITE_URL + reverse(f"admin:{name}_change", args=[pk])


def _uid(*parts) -> str:
    return "-".join(str(p) for p in parts) + f"@{ics.host()}"


def _membership_items(start, end):
    from members.selectors import renewal_calendar

    for row in renewal_calendar(start=start, end=end):
        m, day, kind = row["membership"], row["date"], row["kind"]
        country = m.country.local_name
        if kind == "deadline":
            summary = _("Notice deadline: %(country)s") % {"country": country}
            description = _("Written notice received by this day prevents the renewal of %(country)s's membership.") % {
                "country": country}
            uid = _uid("membership", m.pk, "notice-deadline", day.isoformat())
        else:
            if kind == "termination":
                summary = _("Membership ends: %(country)s") % {"country": country}
            else:
                summary = _("Membership renews: %(country)s") % {"country": country}
            description = _("The current term of %(country)s's membership ends on this day.") % {"country": country}
            # Keyed by the date, not the kind: a renewal that becomes a termination is one item updated.
            uid = _uid("membership", m.pk, "term-end", day.isoformat())
        yield ics.all_day(uid=uid, day=day, summary=summary, description=description,
                          url=_admin("members_membership", m.pk), category=_("Membership"))


def _seat_items(start, end):
    from members.selectors import seats_ending_between

    for seat in seats_ending_between(start, end):
        country = seat.country.local_name
        yield ics.all_day(
            uid=_uid("core-group-seat", seat.pk, "end"), day=seat.end,
            summary=_("Core Group seat ends: %(country)s") % {"country": country},
            url=_admin("members_coregroupseat", seat.pk), category=_("Core Group"),
        )


def _report_items(start, end):
    """Reports not yet filed (submitted or published) of published pledges of current memberships.

    A ``ProgressReport`` row exists only once a focal point starts the report, so the due dates of
    reports nobody has started come from the pledge (``pledges.selectors.due_date``); a started
    draft gives its own ``due_on``.
    """
    from pledges.models import Pledge, ProgressReport
    from pledges.selectors import due_date

    pledges = (Pledge.objects.filter(status=Pledge.Status.PUBLISHED, published_at__isnull=False,
                                     membership__ended_on__isnull=True)
               .select_related("country", "term").prefetch_related("reports").order_by("pk"))
    for pledge in pledges:
        reports = {r.year: r for r in pledge.reports.all()}
        year = pledge.published_at.date().year + 1
        while (due := due_date(pledge, year)) < min(pledge.term.end, end):
            report = reports.get(year)
            if report is not None and report.status == ProgressReport.Status.DRAFT:
                due = report.due_on
            if (report is None or report.status == ProgressReport.Status.DRAFT) and start <= due < end:
                country = pledge.country.local_name
                url = (_admin("pledges_progressreport", report.pk) if report is not None
                       else _admin("pledges_pledge", pledge.pk))
                yield ics.all_day(
                    uid=_uid("progress-report", pledge.pk, year), day=due,
                    summary=_("Progress report %(year)s due: %(country)s") % {"year": year, "country": country},
                    url=url, category=_("Progress report"),
                )
            year += 1


def _events(start, end):
    from events.models import Event

    return list(Event.objects.filter(ends_at__date__gte=start, starts_at__date__lt=end).order_by("starts_at", "pk"))


def build(user, *, today=None) -> bytes:
    """The feed of ``user``, in ``user``'s language."""
    start, end = window(today)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        language = translation.get_language()
        events = _events(start, end)
        vevents = [
            *_membership_items(start, end), *_seat_items(start, end), *_report_items(start, end),
            *(ics.event_vevent(e, language=language, url=_admin("events_event", e.pk)) for e in events),
        ]
        return ics.publish(vevents, name=_("PHC Coalition: Secretariat dates"), events=events)
