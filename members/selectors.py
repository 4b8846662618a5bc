"""Reads of membership data that pages, reminders and reports share."""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.db.models import Q

from coalition import reads
from members.models import Membership


def reminder_recipients(membership: Membership) -> list[tuple[str, str]]:
    """(e-mail, language) of the people reminders go to: the letter's contact and the focal points."""
    return reminder_recipients_of([membership])[membership.pk]


def reminder_recipients_of(memberships) -> dict[int, list[tuple[str, str]]]:
    """``reminder_recipients`` for many memberships (their letters selected) in one query in all."""
    memberships = list(memberships)
    focal_points: dict[int, list[tuple[str, str]]] = {}
    if apps.is_installed("pledges"):
        FocalPoint = apps.get_model("pledges", "FocalPoint")
        rows = (FocalPoint.objects.active().filter(country__in={m.country_id for m in memberships})
                .order_by("user__email").values_list("country_id", "user__email", "user__language"))
        for country_id, email, language in rows:
            focal_points.setdefault(country_id, []).append((email, language))
    out = {}
    for m in memberships:
        recipients: dict[str, str] = {}
        letter = m.letter
        if letter.contact_email:
            recipients[letter.contact_email.lower()] = letter.contact_language or "en"
        for email, language in focal_points.get(m.country_id, []):
            recipients.setdefault(email.lower(), language or "en")
        out[m.pk] = sorted(recipients.items())
    return out


def pending_letters():
    """Letters of interest still awaiting the Secretariat's decision, oldest first."""
    from members.models import LetterOfInterest

    return (LetterOfInterest.objects.filter(status=LetterOfInterest.Status.PENDING)
            .select_related("country").order_by("received_on", "pk"))


def notices_received_between(start: date, end: date):
    """Written notices received from ``start`` until the day before ``end``, withdrawn or not."""
    from members.models import Notice

    return (Notice.objects.filter(received_on__gte=start, received_on__lt=end)
            .select_related("membership__country", "term").order_by("received_on", "pk"))


def renewal_calendar(*, start: date, end: date) -> list[dict]:
    """Term ends (renewals or terminations) and notice deadlines between ``start`` and ``end``."""
    from members import dates

    rows = []
    open_memberships = Membership.objects.open().select_related("country")
    for m in open_memberships:
        expiry = m.expires_on
        # A term's notice deadline comes six months before its end: the last term to look at is the
        # one whose deadline falls in the window, though the term itself ends after it.
        while (deadline := dates.notice_deadline(expiry)) < end:
            ending = m.ends_on is not None and m.ends_on <= expiry
            if start <= deadline and not ending and m.ends_on is None:
                rows.append({"date": deadline, "kind": "deadline", "membership": m})
            if start <= expiry < end:
                rows.append({"date": expiry, "kind": "termination" if ending else "renewal", "membership": m})
            if ending:
                break
            expiry = dates.term_end(expiry)
    from members.names import sort_key

    by_name = sort_key()
    rows.sort(key=lambda r: (r["date"], by_name(str(r["membership"].country))))
    return rows


def core_group_on(day: date) -> list:
    """Countries holding a Core Group seat on ``day``, by name in the active language."""
    from members.names import sorted_by_name

    return sorted_by_name(seat.country for seat in seats_on(day))


def _seated_in_year_q(year: int) -> Q:
    """Seats held on some day of ``year``: the terms of reference choose co-leads among them."""
    first, last = date(year, 1, 1), date(year + 1, 1, 1)
    return Q(start__lt=last) & (Q(end__isnull=True) | Q(end__gt=first))


def holds_seat_in(country, year: int) -> bool:
    """Whether ``country`` holds a Core Group seat in ``year`` (the rule for co-leads)."""
    return without_seat_in([country], year) == []


def without_seat_in(countries, year: int) -> list:
    """Those of ``countries`` that hold no Core Group seat in ``year`` (one query)."""
    from members.models import CoreGroupSeat

    countries = list(countries)
    seated = set(CoreGroupSeat.objects.filter(_seated_in_year_q(year), country__in=countries)
                 .values_list("country_id", flat=True))
    return [country for country in countries if country.pk not in seated]


def seats_on(day: date):
    from members.models import CoreGroupSeat

    return (
        CoreGroupSeat.objects.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gt=day))
        .select_related("country").order_by("country__name")
    )


def seats_ending_between(start: date, end: date):
    from members.models import CoreGroupSeat

    return CoreGroupSeat.objects.filter(end__gte=start, end__lt=end).select_related("country").order_by("end")


def countries_eligible_for_core_group(day: date) -> list:
    """Member countries on ``day`` that hold no seat then."""
    seated = {seat.country_id for seat in seats_on(day)}
    from members.names import sorted_by_name

    members = Membership.objects.in_force(on=day).select_related("country")
    return sorted_by_name(m.country for m in members if m.country_id not in seated)


def current_champions(day: date):
    from members.models import Champion

    return (
        Champion.objects.filter(commitments__start__lte=day, commitments__end__gt=day)
        .select_related("country").distinct().order_by("name")
    )


@reads.kept
def country_by_iso3(*, iso3: str):
    """The country with this ISO alpha-3 code, or None."""
    from members.models import Country

    return Country.objects.filter(iso3=iso3).first()


def public_record_of(country) -> dict:
    """What the public country page shows of a country's history in the Coalition (nothing private)."""
    from django.db.models import Prefetch

    from members.models import Champion, CoreGroupSeat, Notice, Term

    memberships = list(
        Membership.objects.filter(country=country).order_by("-started_on").prefetch_related(
            Prefetch("terms", queryset=Term.objects.order_by("number")),
            Prefetch("notices", queryset=Notice.objects.order_by("received_on")),
        )
    )
    return {
        "memberships": memberships,
        "seats": list(CoreGroupSeat.objects.filter(country=country).order_by("start")),
        "champions": list(Champion.objects.filter(country=country).prefetch_related("commitments").order_by("name")),
    }


REPRESENTATIVENESS_DIMENSIONS = ("who_region", "income_group", "size_class", "fragile")


def representativeness(*, on: date) -> list[dict]:
    """The membership on ``on`` beside the WHO Member States, on each consideration of the terms of
    reference that the reference data covers, in one query.

    One dict per group, dimension by dimension (``REPRESENTATIVENESS_DIMENSIONS``), groups in the order
    of their choices: ``dimension``; ``group``, the code of the members export (``"AFR"``, ``"L"``,
    ``"small"``, ``True``; ``None`` for the economies the World Bank does not classify, as the export
    has it — that group is listed only while it holds a country); ``members``, the NUMBER of member
    countries on ``on`` (an int: shares are the page's business); ``who_member_states``, how many of
    the 194 are in the group; ``not_members``, the ISO3 codes of the group's countries that are not
    members on ``on``, sorted.
    """
    from django.db.models import Exists, OuterRef

    from members.directory import SIZE_CLASSES, size_class
    from members.models import Country, IncomeGroup, WhoRegion

    in_force = Membership.objects.in_force(on=on).filter(country=OuterRef("pk"))
    rows = (Country.objects.order_by().annotate(size_class=size_class(), member=Exists(in_force))
            .values_list("iso3", "who_region", "income_group", "size_class", "fragile", "member"))
    groups: dict[tuple, dict] = {}
    for dimension, codes in [
        ("who_region", WhoRegion.values), ("income_group", [*IncomeGroup.values, None]),
        ("size_class", [code for code, _bound in SIZE_CLASSES]), ("fragile", [True, False]),
    ]:
        for code in codes:
            groups[dimension, code] = {"dimension": dimension, "group": code, "members": 0,
                                       "who_member_states": 0, "not_members": []}
    for iso3, region, income, size, fragile, member in rows:
        # An empty income group is the export's None (members.directory.export_row).
        for key in [("who_region", region), ("income_group", income or None), ("size_class", size),
                    ("fragile", fragile)]:
            group = groups[key]
            group["who_member_states"] += 1
            if member:
                group["members"] += 1
            else:
                group["not_members"].append(iso3)
    out = [g for g in groups.values() if g["who_member_states"] or g["group"] is not None]
    for g in out:
        g["not_members"].sort()  # code-point order, whatever the database's collation
    return out
