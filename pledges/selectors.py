"""Reads about focal points and pledges that other apps share."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet

from accounts import access
from coalition import reads
from members import dates
from members.models import Membership
from pledges import monitoring

DUE_SOON_DAYS = 30
INACTIVE_AFTER_YEARS = 2


def _reader(user) -> dict:
    """What decides which pledges and reports ``user`` sees, as plain values."""
    secretariat = access.is_secretariat(user)
    return {"secretariat": secretariat, "countries": () if secretariat else tuple(sorted(access.country_ids_of(user)))}


def _pledges_visible(*, secretariat: bool, countries: tuple) -> QuerySet:
    from pledges.models import Pledge

    qs = Pledge.objects.select_related("country", "term", "membership")
    if secretariat:
        return qs
    return qs.filter(Q(status=Pledge.Status.PUBLISHED) | Q(country__in=countries))


def _reports_visible(*, secretariat: bool, countries: tuple) -> QuerySet:
    from pledges.models import Pledge, ProgressReport

    qs = ProgressReport.objects.select_related("pledge__country", "pledge__term")
    if secretariat:
        return qs
    visible = Q(status=ProgressReport.Status.PUBLISHED, pledge__status=Pledge.Status.PUBLISHED)
    visible |= Q(pledge__country__in=countries)
    return qs.filter(visible)


def pledges_visible_to(user) -> QuerySet:
    """Published pledges for everyone; every pledge of their countries for focal points; all for staff."""
    return _pledges_visible(**_reader(user))


def reports_visible_to(user) -> QuerySet:
    return _reports_visible(**_reader(user))


def visible_pledge(user, pk: int):
    """The pledge ``pk`` if ``user`` may see it, else None; read once until the data changes."""
    return _visible_pledge(pk=pk, **_reader(user))


@reads.kept
def _visible_pledge(*, pk: int, secretariat: bool, countries: tuple):
    return _pledges_visible(secretariat=secretariat, countries=countries).filter(pk=pk).first()


def visible_report(user, pk: int):
    """The progress report ``pk`` if ``user`` may see it, else None; read once until the data changes."""
    return _visible_report(pk=pk, **_reader(user))


@reads.kept
def _visible_report(*, pk: int, secretariat: bool, countries: tuple):
    return _reports_visible(secretariat=secretariat, countries=countries).filter(pk=pk).first()


@reads.kept
def pledge_with_country(*, pk: int):
    """The pledge with its country and term, or None."""
    from pledges.models import Pledge

    return Pledge.objects.select_related("country", "term").filter(pk=pk).first()


def published_pledges() -> QuerySet:
    from pledges.models import Pledge

    return (
        Pledge.objects.filter(status=Pledge.Status.PUBLISHED)
        .select_related("country", "term")
        .order_by("country__name", "-published_at")
    )


def _published_values() -> Prefetch:
    from pledges.models import IndicatorValue, ProgressReport

    published = (IndicatorValue.objects.filter(report__status=ProgressReport.Status.PUBLISHED)
                 .select_related("report").order_by("year", "report__year"))
    return Prefetch("values", queryset=published, to_attr="published_values")


def _indicators() -> Prefetch:
    from pledges.models import Indicator

    return Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk").prefetch_related(_published_values()))


def commitments_with_indicators(qs: QuerySet) -> QuerySet:
    """Commitments with their indicators and each indicator's published values (three queries in all)."""
    return qs.prefetch_related(_indicators())


def with_commitments(qs: QuerySet) -> QuerySet:
    from pledges.models import Commitment

    commitments = commitments_with_indicators(Commitment.objects.order_by("position", "pk"))
    return qs.prefetch_related(Prefetch("commitments", queryset=commitments))


def tracked(commitments) -> list[dict]:
    """Each commitment with the track of each indicator and its combined status."""
    from pledges.models import TrackStatus

    rows = []
    for c in commitments:
        tracks = monitoring.commitment_tracks(c)
        status = monitoring.commitment_status(tracks)
        rows.append({"commitment": c, "tracks": tracks, "status": status, "status_label": TrackStatus(status).label})
    return rows


def public_pledge_of(country):
    """The country's most recently published pledge, or None."""
    return with_commitments(published_pledges().filter(country=country)).order_by("-published_at").first()


def report_rows(report) -> list[dict]:
    """A report's entries in the pledge's order, each with the values it gives for the commitment's indicators."""
    from pledges.models import IndicatorValue

    if report is None:
        return []
    values: dict[int, list] = {}
    for v in IndicatorValue.objects.filter(report=report).select_related("indicator").order_by(
            "indicator__position", "indicator__pk"):
        values.setdefault(v.indicator.commitment_id, []).append(v)
    return [{"entry": e, "values": values.get(e.commitment_id, [])} for e in report.entries.all()]


def _entries() -> Prefetch:
    from pledges.models import CommitmentProgress

    return Prefetch("entries", queryset=CommitmentProgress.objects.select_related("commitment").order_by(
        "commitment__position", "commitment__pk"))


def latest_published_report(pledge, *, reports=None):
    """The pledge's latest published report with its entries; ``reports``: its reports, when already fetched."""
    from django.db.models import prefetch_related_objects

    from pledges.models import ProgressReport

    if pledge is None:
        return None
    if reports is not None:
        published = [r for r in reports if r.status == ProgressReport.Status.PUBLISHED]
        latest = max(published, key=lambda r: r.year, default=None)
        if latest is not None:
            prefetch_related_objects([latest], _entries())
        return latest
    return (
        ProgressReport.objects.filter(pledge=pledge, status=ProgressReport.Status.PUBLISHED)
        .prefetch_related(_entries())
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


def reporting_status(pledge, *, today: date, reports=None) -> str | None:
    """'up_to_date', 'due' (within 30 days), 'overdue', or 'inactive' (no report published for two years);
    None for a pledge not published. ``reports``: the pledge's reports, when already fetched.
    """
    from pledges.models import Pledge, ProgressReport, ReportingStatus

    if pledge.status != Pledge.Status.PUBLISHED or pledge.published_at is None:
        return None
    if reports is None:
        reports = list(pledge.reports.all())
    published = [r.published_at.date() for r in reports if r.status == ProgressReport.Status.PUBLISHED and r.published_at]
    last = max(published, default=pledge.published_at.date())
    if dates.years_after(last, INACTIVE_AFTER_YEARS) <= today:
        return ReportingStatus.INACTIVE
    due = next_report(pledge, today=today, reports=reports)
    if due is not None and due[1] < today:
        return ReportingStatus.OVERDUE
    if due is not None and due[1] <= today + timedelta(days=DUE_SOON_DAYS):
        return ReportingStatus.DUE
    return ReportingStatus.UP_TO_DATE


def reporting_statuses(pledges: QuerySet, *, today: date) -> dict[int, str | None]:
    """``reporting_status`` of each of ``pledges`` by id, read as plain values in two queries: for
    figures over every pledge, where building the pledges and their reports would cost the most."""
    from types import SimpleNamespace

    from pledges.models import ProgressReport

    reports: dict[int, list] = {}
    for pledge_id, year, status, published_at in ProgressReport.objects.filter(
            pledge__in=pledges.values("pk")).values_list("pledge_id", "year", "status", "published_at"):
        reports.setdefault(pledge_id, []).append(SimpleNamespace(year=year, status=status, published_at=published_at))
    statuses = {}
    for pk, status, published_at, term_end in pledges.values_list("pk", "status", "published_at", "term__end"):
        pledge = SimpleNamespace(status=status, published_at=published_at, term=SimpleNamespace(end=term_end))
        statuses[pk] = reporting_status(pledge, today=today, reports=reports.get(pk, []))
    return statuses


def latest_published_pledges() -> QuerySet:
    """Each country's most recently published pledge."""
    from pledges.models import Pledge

    latest = (Pledge.objects.filter(status=Pledge.Status.PUBLISHED).order_by("country_id", "-published_at")
              .distinct("country_id").values("pk"))
    return Pledge.objects.filter(pk__in=latest)


def published_commitments() -> QuerySet:
    """The commitments of each country's latest published pledge, with what the explorer and exports show,
    by country in the reader's alphabetical order."""
    from members.names import order_by_name
    from pledges.models import Commitment

    return commitments_with_indicators(
        Commitment.objects.filter(pledge__in=latest_published_pledges().values("pk"))
        .select_related("pledge__country", "pledge__term")
        .order_by(order_by_name("pledge__country__iso2"), "position", "pk")
    )


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


def country_page(country, *, today: date, memberships=None) -> dict:
    """What the public country page shows of the country's membership, pledge and progress.

    ``memberships``: the country's memberships with their terms and notices, when already fetched.
    """
    membership = Membership.objects.of(country, on=today)
    if membership is not None and memberships is not None:
        membership = next((m for m in memberships if m.pk == membership.pk), membership)
    term = membership.current_term(on=today) if membership is not None else None
    notice = membership.pending_notice() if membership is not None else None
    pledge = public_pledge_of(country)
    reports = list(pledge.reports.all()) if pledge is not None else []
    return {
        "membership": membership, "term": term, "notice": notice, "pledge": pledge,
        "report": latest_published_report(pledge, reports=reports),
        "tracked": tracked(pledge.commitments.all()) if pledge is not None else [],
        "reporting_status": reporting_status(pledge, today=today, reports=reports) if pledge is not None else None,
        "contacts": public_contacts(country),
    }


def dashboard_sections(countries, *, today: date) -> list[dict]:
    """One section per country a focal point speaks for: its term, pledge, next report and its state."""
    from pledges.models import Pledge

    sections = []
    for country in countries:
        membership = Membership.objects.of(country, on=today)
        term = notice = pledge = None
        if membership is not None:
            term = membership.current_term(on=today)
            notice = membership.pending_notice()
        if term is not None:
            pledge = Pledge.objects.filter(term=term).prefetch_related("reports").first()
        reports = list(pledge.reports.all()) if pledge else []
        due = next_report(pledge, today=today, reports=reports) if pledge else None
        report = next((r for r in reports if r.year == due[0]), None) if due is not None else None
        previous = Pledge.objects.filter(country=country).exclude(term=term).order_by("-term__start").first()
        sections.append({
            "country": country, "membership": membership, "term": term, "notice": notice,
            "pledge": pledge, "previous": previous, "due": due, "report": report,
            "overdue": due is not None and due[1] < today,
            "reporting_status": reporting_status(pledge, today=today, reports=reports) if pledge else None,
            "can_edit": membership is not None,
        })
    return sections


def awaiting_review() -> list[dict]:
    """Pledges and progress reports submitted to the Secretariat and not yet decided, oldest first."""
    from pledges.models import Pledge, ProgressReport

    pledges = Pledge.objects.filter(status=Pledge.Status.SUBMITTED).select_related("country")
    reports = ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED).select_related("pledge__country")
    rows = [{"kind": "pledge", "object": p, "country": p.country, "submitted_at": p.submitted_at} for p in pledges]
    rows += [{"kind": "report", "object": r, "country": r.pledge.country, "submitted_at": r.submitted_at}
             for r in reports]
    rows.sort(key=lambda r: (r["submitted_at"] is None, r["submitted_at"] or 0))
    return rows
