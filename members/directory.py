"""The public member directory: one query that answers every column, filter and export."""

from __future__ import annotations

from datetime import date
from operator import itemgetter

from django.apps import apps
from django.db.models import Case, CharField, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear

from coalition import reads
from members.models import CoreGroupSeat, Country, Membership, WhoRegion

SIZE_CLASSES = [
    # (code, upper bound of population) — the Coalition's engagement bands.
    ("small", 5_000_000),
    ("medium", 50_000_000),
    ("large", None),
]


def size_class() -> Case:
    """A country's population band (a code of SIZE_CLASSES) as an SQL expression: the directory, its
    exports and the representativeness figures classify with this one rule."""
    return Case(
        *(When(population__lt=bound, then=Value(code)) for code, bound in SIZE_CLASSES if bound is not None),
        default=Value(SIZE_CLASSES[-1][0]),
        output_field=CharField(),
    )


def directory(*, today: date) -> QuerySet[Country]:
    """Countries that have ever been members, annotated with what the directory shows."""
    Pledge = apps.get_model("pledges", "Pledge")
    # Each country's latest membership begun by today, found once (DISTINCT ON, uncorrelated) and
    # joined, so that its dates are plain columns: a correlated subquery per column and per use
    # was read 18 times per country.
    latest = (
        Membership.objects.filter(started_on__lte=today)
        .order_by("country_id", "-started_on")
        .distinct("country_id")
        .values("id")
    )
    seated = CoreGroupSeat.objects.filter(country=OuterRef("pk"), start__lte=today).filter(
        Q(end__isnull=True) | Q(end__gt=today)
    )
    return (
        Country.objects.filter(memberships__in=latest)
        .annotate(
            member_since=F("memberships__started_on"),
            term_end=F("memberships__expires_on"),
            membership_ended=F("memberships__ended_on"),
            membership_ends=F("memberships__ends_on"),
            core_group=Exists(seated),
            has_published_pledge=Exists(Pledge.objects.filter(country=OuterRef("pk"), status="published")),
            has_pledge=Exists(Pledge.objects.filter(country=OuterRef("pk"))),
        )
        .annotate(
            accession_year=ExtractYear("member_since", output_field=IntegerField()),
            size_class=size_class(),
            membership_status=Case(
                When(Q(membership_ended__lte=today) | Q(membership_ends__lte=today), then=Value("former")),
                default=Value("current"),
                output_field=CharField(),
            ),
            pledge_status=Case(
                When(has_published_pledge=True, then=Value("published")),
                When(has_pledge=True, then=Value("draft")),
                default=Value("none"),
                output_field=CharField(),
            ),
        )
    )


def in_order(countries: list, sort: str | None, *, name=str, value=getattr) -> list:
    """The directory's order: by name in the reader's language (its collation), or by accession or
    region, then name. Done here rather than in SQL: the names are CLDR's, not the database's.
    ``name`` and ``value`` read a row's name and fields (countries by default, or listing's dicts)."""
    from members.names import sorted_by_name

    rows = sorted_by_name(countries, name=name)
    if sort == "accession":
        rows.sort(key=lambda c: value(c, "member_since"))
    elif sort == "region":
        rows.sort(key=lambda c: value(c, "who_region"))
    return rows


LISTED = ("iso3", "iso2", "name", "who_region", "member_since", "term_end", "membership_status", "core_group",
          "pledge_status")


@reads.kept
def accession_years() -> list[int]:
    """The years in which memberships began: the directory's year filter."""
    return [d.year for d in Membership.objects.dates("started_on", "year")]


@reads.kept(by_language=True)
def listing(*, params: tuple, today: date) -> list[dict]:
    """The directory's rows for a query (its filters as sorted (name, values) pairs), as plain values in
    the reader's order: what its table and map show.

    Dicts rather than countries: 194 model instances with their annotations cost more to build than
    the query takes, and plain values can key the fragments the page is drawn from.
    """
    from django.http import QueryDict
    from django.utils.translation import get_language

    from members.filters import DirectoryFilter
    from members.names import country_name

    query = QueryDict(mutable=True)
    for name, values in params:
        query.setlist(name, list(values))
    filterset = DirectoryFilter(query, queryset=directory(today=today), years=accession_years())
    language = get_language()
    regions = {code: str(label) for code, label in WhoRegion.choices}
    rows = list(filterset.qs.values(*LISTED))
    # Read after the query: the form is validated on the way to it.
    sort = getattr(filterset.form, "cleaned_data", {}).get("sort")
    for row in rows:
        row["local_name"] = country_name(row["iso2"], row["name"], language)
        row["region"] = regions.get(row["who_region"], row["who_region"])
    return in_order(rows, sort, name=itemgetter("local_name"), value=dict.get)


@reads.kept(by_language=True)
def listing_shown(*, params: tuple, today: date) -> tuple[str, int]:
    """A digest of everything the listing shows, and its number of rows: what the directory page is
    drawn from, without reading the rows where the page was drawn before."""
    from coalition.fragments import digest

    rows = listing(params=params, today=today)
    return digest(rows), len(rows)


EXPORT_FIELDS = [
    "iso3", "iso2", "name", "name_ru", "name_fr", "who_region", "income_group", "fragile", "population",
    "size_class", "membership_status", "member_since", "current_term_end", "core_group", "pledge_status",
    # Appended (the schema only ever grows at the end): the other UN languages' names, from CLDR.
    "name_es", "name_ar", "name_zh",
]


def export_row(country: Country) -> dict:
    """One country in the open-data schema (README, "Open data"); nothing private."""
    current = country.membership_status == "current"
    return {
        "iso3": country.iso3,
        "iso2": country.iso2,
        "name": country.name,
        "name_ru": country.name_in("ru"),
        "name_fr": country.name_in("fr"),
        "who_region": country.who_region,
        "income_group": country.income_group or None,
        "fragile": country.fragile,
        "population": country.population,
        "size_class": country.size_class,
        "membership_status": country.membership_status,
        "member_since": country.member_since.isoformat(),
        "current_term_end": country.term_end.isoformat() if current else None,
        "core_group": country.core_group,
        "pledge_status": country.pledge_status,
        "name_es": country.name_in("es"),
        "name_ar": country.name_in("ar"),
        "name_zh": country.name_in("zh-hans"),
    }
