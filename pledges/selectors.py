"""Reads about focal points and pledges that other apps share."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from accounts import access
from members import dates
from members.models import Country, Membership


def pledges_visible_to(user) -> QuerySet:
    """Published pledges for everyone; every pledge of their countries for focal points; all for staff."""
    from pledges.models import Pledge

    qs = Pledge.objects.select_related("country", "term", "membership")
    if access.is_secretariat(user):
        return qs
    visible = Q(status=Pledge.Status.PUBLISHED) | Q(country__in=access.country_ids_of(user))
    return qs.filter(visible)


def reports_visible_to(user) -> QuerySet:
    from pledges.models import Pledge, ProgressReport

    qs = ProgressReport.objects.select_related("pledge__country", "pledge__term")
    if access.is_secretariat(user):
        return qs
    visible = Q(status=ProgressReport.Status.PUBLISHED, pledge__status=Pledge.Status.PUBLISHED)
    visible |= Q(pledge__country__in=access.country_ids_of(user))
    return qs.filter(visible)


def published_pledges() -> QuerySet:
    from pledges.models import Pledge

    return (
        Pledge.objects.filter(status=Pledge.Status.PUBLISHED)
        .select_related("country", "term")
        .order_by("country__name", "-published_at")
    )


def with_commitments(qs: QuerySet) -> QuerySet:
    from pledges.models import Commitment

    return qs.prefetch_related(Prefetch("commitments", queryset=Commitment.objects.order_by("position", "pk")))


def public_pledge_of(country):
    """The country's most recently published pledge, or None."""
    return with_commitments(published_pledges().filter(country=country)).order_by("-published_at").first()


def latest_published_report(pledge):
    from pledges.models import CommitmentProgress, ProgressReport

    if pledge is None:
        return None
    return (
        ProgressReport.objects.filter(pledge=pledge, status=ProgressReport.Status.PUBLISHED)
        .prefetch_related(
            Prefetch("entries", queryset=CommitmentProgress.objects.select_related("commitment").order_by(
                "commitment__position", "commitment__pk"))
        )
        .order_by("-year")
        .first()
    )


def pledge_for_term(country, term):
    from pledges.models import Pledge

    return Pledge.objects.filter(country=country, term=term).first()


def due_date(pledge, year: int) -> date:
    """A pledge's progress report for ``year`` is due on the anniversary of its publication in that year."""
    published = pledge.published_at.date()
    return dates.years_after(published, year - published.year)


def next_report(pledge, *, today: date, reports=None) -> tuple[int, date] | None:
    """(year, due date) of the first report not yet filed (submitted or published), or None.

    Reports fall due each anniversary of publication while the pledge's term lasts.
    """
    from pledges.models import Pledge, ProgressReport

    if pledge.status != Pledge.Status.PUBLISHED or pledge.published_at is None:
        return None
    if reports is None:
        reports = list(pledge.reports.all())
    filed = {r.year for r in reports if r.status != ProgressReport.Status.DRAFT}
    year = pledge.published_at.date().year + 1
    while True:
        due = due_date(pledge, year)
        if due >= pledge.term.end:
            return None
        if year not in filed:
            return year, due
        year += 1


def overdue_reports(*, today: date) -> list[dict]:
    """Published pledges of current members whose report is past its due date, oldest first."""
    from pledges.models import Pledge

    members = Membership.objects.in_force(on=today).values("pk")
    rows = []
    pledges = (
        Pledge.objects.filter(status=Pledge.Status.PUBLISHED, membership__in=members)
        .select_related("country", "term")
        .prefetch_related("reports")
    )
    for pledge in pledges:
        due = next_report(pledge, today=today)
        if due is not None and due[1] < today:
            rows.append({"pledge": pledge, "country": pledge.country, "year": due[0], "due_on": due[1]})
    rows.sort(key=lambda r: (r["due_on"], r["country"].name))
    return rows


def public_contacts(country):
    """Active focal points of ``country`` who chose to show their contact publicly."""
    from pledges.models import FocalPoint

    return list(FocalPoint.objects.active().filter(country=country, public_contact=True)
                .select_related("user").order_by("user__full_name", "user__email"))
