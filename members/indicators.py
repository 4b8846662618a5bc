"""The Coalition's monitoring indicators, computed from the record (public page and reports)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.apps import apps
from django.db.models import Count, Q
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
    """Commitments of published pledges per lever, with the status of their latest published progress."""
    Commitment = apps.get_model("pledges", "Commitment")
    CommitmentProgress = apps.get_model("pledges", "CommitmentProgress")
    Lever = Commitment._meta.get_field("levers").base_field.choices
    commitments = list(Commitment.objects.filter(pledge__status="published").values_list("pk", "levers"))
    latest: dict[int, str] = {}
    for commitment_id, status in (
        CommitmentProgress.objects.filter(commitment_id__in=[pk for pk, _ in commitments], report__status="published")
        .exclude(status="").order_by("commitment_id", "report__year").values_list("commitment_id", "status")
    ):
        latest[commitment_id] = status  # ordered by year: the last one wins
    rows = []
    for code, label in Lever:
        ids = [pk for pk, levers in commitments if code in levers]
        statuses = Counter(latest.get(pk, "no_report") for pk in ids)
        rows.append({"code": code, "label": label, "count": len(ids), "statuses": statuses})
    return rows


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


PROGRESS_STATUSES = ["achieved", "on_track", "off_track", "not_started", "no_report"]

