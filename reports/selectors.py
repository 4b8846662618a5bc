"""Reads that the reports share: what goes into each PDF, and who may see which report.

Every function here runs a fixed number of queries, whatever the number of members, so that a
report's own overhead stays small beside WeasyPrint's rendering.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts import access
from members.models import Champion, ChampionCommitment, CoLead, CoreGroupSeat, Country, Membership, WhoRegion
from reports.models import Kind, ReportRequest

# --- Who may see what ---------------------------------------------------------------------------


def is_reports_staff(user) -> bool:
    """The Secretariat asks for reports and reads every one."""
    return access.is_secretariat(user)


def can_request(user) -> bool:
    return access.is_secretariat(user)


def can_view(user, report: ReportRequest) -> bool:
    """Staff see everything; a country's focal points see its certificates; anyone sees published reports."""
    if is_reports_staff(user):
        return True
    if report.kind == Kind.CERTIFICATE:
        return report.country_id in access.country_ids_of(user)
    return report.published_at is not None


def can_download(user, report: ReportRequest) -> bool:
    return report.status == ReportRequest.Status.READY and bool(report.file) and can_view(user, report)


def reports_visible_to(user) -> QuerySet[ReportRequest]:
    qs = ReportRequest.objects.select_related("country", "requested_by")
    if is_reports_staff(user):
        return qs
    mine = Q(kind=Kind.CERTIFICATE, country__in=access.country_ids_of(user), status=ReportRequest.Status.READY)
    return qs.filter(mine | Q(published_at__isnull=False))


# --- Certificates ---------------------------------------------------------------------------------


def certificate_by_code(code: str) -> ReportRequest | None:
    return (
        ReportRequest.objects.filter(kind=Kind.CERTIFICATE, verification_code=code, status=ReportRequest.Status.READY)
        .select_related("country", "membership", "term")
        .first()
    )


def certificate_validity(report: ReportRequest, *, today: date) -> str:
    """``valid`` while the certified term lasts and the membership is in force; else ``expired`` or ``ended``."""
    membership = report.membership
    end = membership.ended_on or membership.ends_on
    if end is not None and today >= end:
        return "ended"
    if today >= report.term.end or today < report.term.start:
        return "expired"
    return "valid"


# --- What goes into the PDFs -------------------------------------------------------------------------


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def memberships_between(start: date, end: date) -> list[Membership]:
    """Memberships in force at some time from ``start`` to ``end`` (excluded), with terms and notices."""
    return list(
        Membership.objects.filter(started_on__lt=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start))
        .select_related("country")
        .prefetch_related("terms", "notices")
        .order_by("country__name")
    )


def _effective_end(m: Membership, *, as_of: date) -> date | None:
    if m.ended_on is not None:
        return m.ended_on
    if m.ends_on is not None and m.ends_on <= as_of:
        return m.ends_on
    return None


def membership_changes(memberships: list[Membership], *, start: date, end: date, as_of: date) -> dict:
    """What happened to ``memberships`` (from ``memberships_between``) from ``start`` to ``end`` (excluded),
    as known on ``as_of``: accessions, renewals, notices received and withdrawn, terminations, by date."""
    from members.names import sort_key

    accessions, renewals, notices, withdrawals, terminations = [], [], [], [], []
    for m in memberships:
        if start <= m.started_on < end and m.started_on <= as_of:
            accessions.append(m)
        for term in m.terms.all():
            if term.number > 1 and start <= term.start < end and term.start <= as_of:
                renewals.append((m, term))
        for notice in m.notices.all():
            if start <= notice.received_on < end and notice.received_on <= as_of:
                notices.append((m, notice))
            if notice.withdrawn_on is not None and start <= notice.withdrawn_on < end and notice.withdrawn_on <= as_of:
                withdrawals.append((m, notice))
        ended = _effective_end(m, as_of=as_of)
        if ended is not None and start <= ended < end:
            terminations.append((m, ended))
    by_name = sort_key()
    accessions.sort(key=lambda m: (m.started_on, by_name(str(m.country))))
    renewals.sort(key=lambda r: (r[1].start, by_name(str(r[0].country))))
    notices.sort(key=lambda r: (r[1].received_on, by_name(str(r[0].country))))
    withdrawals.sort(key=lambda r: (r[1].withdrawn_on, by_name(str(r[0].country))))
    terminations.sort(key=lambda r: (r[1], by_name(str(r[0].country))))
    return {"accessions": accessions, "renewals": renewals, "notices": notices, "withdrawals": withdrawals,
            "terminations": terminations}


def events_held(start: date, end: date) -> list:
    """Events that started from ``start`` to ``end`` (excluded) and are over, with their participation:
    ``confirmed`` places, ``delegates`` (confirmed delegates of countries) and ``countries`` they came from."""
    from events.models import Event, Registration, delegation_q

    return list(
        Event.objects.filter(starts_at__gte=_aware(start), starts_at__lt=_aware(end), ends_at__lte=timezone.now())
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
            delegates=Count("registrations", filter=delegation_q("registrations__")),
            countries=Count("registrations__country", distinct=True, filter=delegation_q("registrations__")),
        )
        .order_by("starts_at", "pk")
    )


def annual_report_data(*, year: int, today: date | None = None) -> dict:
    """Everything the annual report shows for ``year`` (as it stood at the year's end, or today)."""
    from governance import selectors as governance_selectors
    from pledges import monitoring
    from pledges import selectors as pledge_selectors
    from pledges.models import Lever, Pledge, ProgressReport

    today = today or timezone.localdate()
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    as_of = min(end - timedelta(days=1), today)

    memberships = memberships_between(start, end)
    members = []
    for m in memberships:
        status = m.status_on(as_of)
        m.report_status = status
        m.report_term = m.term_on(as_of)
        if status in ("active", "notice_given"):
            members.append(m)
    changes = membership_changes(memberships, start=start, end=end, as_of=as_of)
    from members.names import sort_key

    by_name = sort_key()

    seats = sorted(
        CoreGroupSeat.objects.filter(start__lt=end).filter(Q(end__isnull=True) | Q(end__gt=start))
        .select_related("country").order_by("start"),
        key=lambda seat: by_name(str(seat.country)),
    )
    co_leads = list(CoLead.objects.filter(year=year).select_related("country").order_by("line", "country__name"))
    champions = list(
        Champion.objects.filter(commitments__start__lt=end, commitments__end__gt=start)
        .select_related("country").distinct().order_by("name")
        .prefetch_related(Prefetch("commitments", queryset=ChampionCommitment.objects.order_by("start")))
    )

    # Pledges published by the year's end, and the progress reports filed for the year.
    member_ids = {m.country_id for m in members}
    pledges = sorted(
        pledge_selectors.with_commitments(
            Pledge.objects.filter(status=Pledge.Status.PUBLISHED, published_at__lt=_aware(end))
            .select_related("country", "term")
        ).order_by("-published_at"),
        key=lambda pledge: by_name(str(pledge.country)),
    )
    latest_pledge: dict[int, Pledge] = {}
    for p in pledges:
        latest_pledge.setdefault(p.country_id, p)
    reports = list(
        ProgressReport.objects.filter(
            status=ProgressReport.Status.PUBLISHED, year=year, pledge__in=[p.pk for p in latest_pledge.values()],
        ).select_related("pledge")
    )
    reported_pledges = {r.pledge_id for r in reports}

    lever_rows = {lever: {"lever": lever.label, "commitments": 0, "countries": set(), "statuses": Counter()}
                  for lever in Lever}
    status_totals = Counter()
    for p in latest_pledge.values():
        for c in p.commitments.all():
            # Where each commitment stood by the year's reports: values published for later years are left out.
            tracks = [monitoring.track(i, [v for v in i.published_values if v.report.year <= year])
                      for i in c.indicators.all()]
            status = monitoring.commitment_status(tracks)
            status_totals[status] += 1
            for value in c.levers:
                if value in lever_rows:
                    lever_rows[value]["commitments"] += 1
                    lever_rows[value]["countries"].add(p.country_id)
                    lever_rows[value]["statuses"][status] += 1
    by_lever = [
        {**row, "countries": len(row["countries"]), "statuses": dict(row["statuses"])} for row in lever_rows.values()
    ]

    region_rows = {region: {"region": region.label, "code": region.value, "members": 0, "pledges": 0, "reports": 0,
                            "commitments": 0, "population": 0} for region in WhoRegion}
    for m in members:
        row = region_rows[m.country.who_region]
        row["members"] += 1
        row["population"] += m.country.population or 0
    for p in latest_pledge.values():
        if p.country_id in member_ids:
            row = region_rows[p.country.who_region]
            row["pledges"] += 1
            row["commitments"] += len(p.commitments.all())
            row["reports"] += p.pk in reported_pledges
    by_region = list(region_rows.values())

    events = events_held(start, end)

    world = Country.objects.aggregate(count=Count("pk"), population=_sum("population"))
    income = Counter(m.country.income_group or "" for m in members)
    member_population = sum(m.country.population or 0 for m in members)
    pledged_members = sum(1 for cid in member_ids if cid in latest_pledge)
    reported_members = sum(1 for p in latest_pledge.values() if p.country_id in member_ids and p.pk in reported_pledges)
    indicators = {
        "members": len(members),
        "world_countries": world["count"],
        "members_share": _share(len(members), world["count"]),
        "population": member_population,
        "population_share": _share(member_population, world["population"] or 0),
        "pledged": pledged_members,
        "pledged_share": _share(pledged_members, len(members)),
        "reported": reported_members,
        "reported_share": _share(reported_members, pledged_members),
        "commitments": sum(len(p.commitments.all()) for p in latest_pledge.values() if p.country_id in member_ids),
        "by_income": income,
        "status_totals": status_totals,
        "on_track": status_totals["on_track"] + status_totals["achieved"],
        "on_track_share": _share(status_totals["on_track"] + status_totals["achieved"], sum(status_totals.values())),
    }
    return {
        "year": year,
        "start": start,
        "as_of": as_of,
        "members": members,
        "accessions": changes["accessions"],
        "renewals": changes["renewals"],
        "notices": changes["notices"],
        "terminations": changes["terminations"],
        "seats": seats,
        "co_leads": co_leads,
        "champions": champions,
        "pledges": [p for p in latest_pledge.values() if p.country_id in member_ids],
        "by_lever": by_lever,
        "by_region": by_region,
        "events": events,
        "indicators": indicators,
        "work_plan": governance_selectors.work_plan(year),
    }


def _sum(field):
    from django.db.models import Sum

    return Sum(field)


def _share(part: int, whole: int) -> float | None:
    return None if not whole else 100.0 * part / whole


def country_profile_data(*, country: Country, today: date | None = None) -> dict:
    """One country's memberships, Core Group seats and roles, pledge, progress and participation."""
    from events.selectors import participation_of
    from pledges import selectors as pledge_selectors

    today = today or timezone.localdate()
    memberships = list(
        Membership.objects.filter(country=country).select_related("letter")
        .prefetch_related("terms", "notices").order_by("-started_on")
    )
    current = next((m for m in memberships if m.status_on(today) in ("active", "notice_given")), None)
    pledge = pledge_selectors.public_pledge_of(country)
    progress = pledge_selectors.latest_published_report(pledge)
    return {
        "country": country,
        "today": today,
        "memberships": memberships,
        "current": current,
        "current_status": current.status_on(today) if current else None,
        "current_term": current.term_on(today) if current else None,
        "seats": list(CoreGroupSeat.objects.filter(country=country).order_by("start")),
        "co_leads": list(CoLead.objects.filter(country=country).order_by("-year", "line")),
        "champions": list(
            Champion.objects.filter(country=country).prefetch_related(
                Prefetch("commitments", queryset=ChampionCommitment.objects.order_by("start"))
            )
        ),
        "pledge": pledge,
        "tracked": pledge_selectors.tracked(pledge.commitments.all()) if pledge else [],
        "progress": progress,
        "progress_rows": pledge_selectors.report_rows(progress),
        "participation": participation_of(country),
    }


def certificate_data(*, report: ReportRequest) -> dict:
    from django.urls import reverse
    from django.utils import translation

    with translation.override(report.language):
        path = reverse("reports:verify", kwargs={"code": report.verification_code})
    return {
        "country": report.country,
        "membership": report.membership,
        "term": report.term,
        "code": report.verification_code,
        "verify_url": settings.SITE_URL + path,
        "issued_on": timezone.localdate(),
    }


# --- The monthly digest --------------------------------------------------------------------------------


def digest_data(*, today: date) -> dict:
    """What the secretariat should act on in the coming two months."""
    from events.models import Event
    from members.selectors import renewal_calendar
    from pledges.selectors import overdue_reports

    horizon = today + timedelta(days=61)
    calendar = renewal_calendar(start=today, end=horizon)
    return {
        "today": today,
        "horizon": horizon,
        "renewals": [r for r in calendar if r["kind"] == "renewal"],
        "terminations": [r for r in calendar if r["kind"] == "termination"],
        "deadlines": [r for r in calendar if r["kind"] == "deadline"],
        "overdue": overdue_reports(today=today),
        "events": list(
            Event.objects.filter(starts_at__gte=timezone.now(), starts_at__lt=_aware(horizon)).order_by("starts_at")
        ),
    }




def failed_since(moment) -> QuerySet[ReportRequest]:
    """Report builds that failed since ``moment`` and were not asked for again, newest first."""
    return (ReportRequest.objects.filter(status=ReportRequest.Status.FAILED, requested_at__gte=moment)
            .select_related("country").order_by("-requested_at"))
