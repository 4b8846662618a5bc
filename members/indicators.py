"""The Coalition's monitoring indicators, computed from the record (public page and reports)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.apps import apps
from django.db.models import Count
from django.db.models.functions import ExtractYear

from members.models import Membership, Term, WhoRegion


def members_over_time(*, today: date) -> list[dict]:
    """Per year since the first accession: accessions, renewals, terminations, members at year end."""
    accessions = Counter(dict(
        Membership.objects.annotate(y=ExtractYear("started_on")).values_list("y").annotate(n=Count("pk"))
    ))
    renewals = Counter(dict(
        Term.objects.filter(number__gt=1, start__lte=today).annotate(y=ExtractYear("start"))
        .values_list("y").annotate(n=Count("pk"))
    ))
    terminations = Counter(dict(
        Membership.objects.filter(ended_on__lte=today).annotate(y=ExtractYear("ended_on"))
        .values_list("y").annotate(n=Count("pk"))
    ))
    if not accessions:
        return []
    spans = list(Membership.objects.values_list("started_on", "ended_on"))
    rows = []
    for year in range(min(accessions), today.year + 1):
        year_end = min(date(year, 12, 31), today)
        members = sum(1 for start, end in spans if start <= year_end and (end is None or end > year_end))
        rows.append({"year": year, "accessions": accessions[year], "renewals": renewals[year],
                     "terminations": terminations[year], "members": members})
    return rows


def members_by_region(*, today: date) -> list[dict]:
    counts = Counter(Membership.objects.in_force(on=today).values_list("country__who_region", flat=True))
    return [{"code": code, "label": label, "count": counts[code]} for code, label in WhoRegion.choices]


def pledge_coverage(*, today: date) -> dict:
    Pledge = apps.get_model("pledges", "Pledge")
    members = Membership.objects.in_force(on=today).values_list("country_id", flat=True)
    total = len(members)
    published = Pledge.objects.filter(country_id__in=list(members), status="published").values("country").distinct().count()
    return {"members": total, "published": published, "share": round(100 * published / total) if total else 0}


def commitments_by_lever() -> list[dict]:
    """Commitments of each country's latest published pledge per lever, by their stored status
    (computed from the numbers when each report is published); one query, no rows built."""
    from pledges import selectors as pledge_selectors
    from pledges.models import Lever

    rows = list(pledge_selectors.published_commitments().prefetch_related(None).values_list("levers", "status"))
    out = []
    for code, label in Lever.choices:
        statuses = Counter(status for levers, status in rows if code in levers)
        out.append({"code": code, "label": label, "count": sum(statuses.values()), "statuses": statuses})
    return out


def reporting_coverage(*, today: date) -> dict:
    """Of the latest published pledges of current members, how many are up to date with their reports."""
    from pledges import selectors as pledge_selectors
    from pledges.models import ReportingStatus

    members = Membership.objects.in_force(on=today).values("country_id")
    pledges = pledge_selectors.latest_published_pledges().filter(country_id__in=members)
    statuses = Counter(pledge_selectors.reporting_statuses(pledges, today=today).values())
    counted = sum(statuses.values())
    up_to_date = statuses[ReportingStatus.UP_TO_DATE] + statuses[ReportingStatus.DUE]
    return {"pledges": counted, "up_to_date": up_to_date, "statuses": statuses,
            "share": round(100 * up_to_date / counted) if counted else 0}


def events_by_year(*, today: date) -> list[dict]:
    """Public events held, and how many countries took part, per year."""
    from events.models import delegation_q

    Event = apps.get_model("events", "Event")
    held = (
        Event.objects.filter(public=True, ends_at__date__lte=today).annotate(y=ExtractYear("starts_at"))
        .values("y").annotate(events=Count("pk", distinct=True),
                              countries=Count("registrations__country", distinct=True,
                                              filter=delegation_q("registrations__")))
        .order_by("y")
    )
    return [{"year": row["y"], "events": row["events"], "countries": row["countries"]} for row in held]


PROGRESS_STATUSES = ["achieved", "on_track", "off_track", "no_data"]

