"""The public, read-only API (``/api/v1/``): the site's public data for scripts and other sites.

django-ninja rather than Django REST framework with drf-spectacular: the answers are pydantic schemas
(api/schemas.py) from which the OpenAPI 3 schema is built, with nothing else to keep in step, and its
Swagger UI ships inside the package (served from our own static files, nothing from a CDN). The API
needs none of DRF's authentication, permissions, serializers or browsable pages.

Every read goes through the site's own selectors and filters, so the API says what the pages say:
the directory (members.directory, members.filters), seats and champions (members.selectors),
published pledges and their monitoring (pledges.selectors, pledges.monitoring, pledges.filters),
public events (events.selectors, events.filters), sent public announcements, public library items.
Each list is a fixed number of queries per page, whatever the page size.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import NinjaAPI, Path, Query, Swagger
from ninja.errors import HttpError
from ninja.renderers import JSONRenderer

from announcements import selectors as announcement_selectors
from api import schemas as s
from coalition.content_language import text_in_reader_language
from events import selectors as event_selectors
from events.filters import EventFilter
from library import selectors as library_selectors
from members import directory as directory_selectors
from members import indicators as member_indicators
from members import selectors as member_selectors
from members.filters import DirectoryFilter
from members.models import Country, IncomeGroup, Term, WhoRegion
from members.names import order_by_name, sorted_by_name
from pledges import selectors as pledge_selectors
from pledges.exports import _num as number
from pledges.filters import CommitmentFilter
from pledges.models import Commitment

DESCRIPTION = """
The public data of the Primary Health Care Coalition of Countries: member countries and their
memberships, the Core Group, PHC champions, published PHC pledges with their commitments and
indicators, public events, announcements, the knowledge library and the Coalition's indicators.

Read-only, no sign-in. Lists are paginated (`page`, `page_size` up to 100) in an envelope with
`count`, `next` and `previous`. Names and texts are in the language of `?lang=` (en, fr, ru, es,
ar, zh-hans), else of `Accept-Language`, else English; a text not translated into it comes in its
original language, which each text states. Answers carry an `ETag`: send it back in
`If-None-Match` to get `304 Not Modified` while nothing changed. Any origin may read (CORS). Each
address may make a limited number of requests a minute; beyond it the answer is `429` with
`Retry-After`.
""".strip()


def _own_name(code: str) -> str:
    from django.utils.translation import get_language_info

    name = get_language_info(code)["name_local"]
    return name[:1].upper() + name[1:]


class Docs(Swagger):
    """Swagger UI from the package's static files, inside the site's page, with a list of the
    endpoints that works without JavaScript."""

    template = "api/docs.html"

    def __init__(self):
        # No validator badge: Swagger UI would send the schema to validator.swagger.io.
        super().__init__(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0})

    def render_page(self, request, api, **kwargs):
        from django.conf import settings

        self.settings["url"] = self.get_openapi_url(api, kwargs)
        schema = api.get_openapi_schema(path_params=kwargs)
        endpoints = [
            {"path": path, "summary": operation.get("summary", ""), "description": operation.get("description", ""),
             "parameters": [p["name"] for p in operation.get("parameters", [])]}
            for path, methods in schema["paths"].items() for method, operation in methods.items() if method == "get"
        ]
        # The page's language switcher: ?lang= (the API's address has no language prefix).
        languages = [{"code": code, "name": _own_name(code), "url": f"{request.path}?lang={code}",
                      "current": code == get_language()} for code, _name in settings.LANGUAGES]
        return render(request, self.template, {
            "swagger_settings": self.settings, "api": api, "language_links": languages, "endpoints": endpoints,
            "schema_url": self.settings["url"],
        })


class Renderer(JSONRenderer):
    # Names in Arabic, Chinese or Russian as they are written, as in the open-data exports.
    json_dumps_params: ClassVar[dict] = {"ensure_ascii": False}


api = NinjaAPI(
    title="PHC Coalition of Countries: public API", version="1", description=DESCRIPTION, urls_namespace="api",
    docs=Docs(), docs_url="/docs/", openapi_url="/openapi.json", renderer=Renderer(),
)

ANONYMOUS = AnonymousUser()


def answers(schema) -> dict:
    return {200: schema, 422: s.Error, 429: s.RateLimited}


# --- Helpers ------------------------------------------------------------------------------------------------


def _today():
    return timezone.localdate()


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _page(request, query: s.Paged, rows, *, count: int | None = None) -> tuple[dict, list]:
    """The envelope of one page and its items; ``rows`` a queryset (one COUNT and one SELECT) or a list."""
    if count is None:
        count = len(rows) if isinstance(rows, list) else rows.count()
    start = (query.page - 1) * query.page_size
    items = list(rows[start:start + query.page_size]) if start < count else []

    def link(number):
        params = request.GET.copy()
        params["page"] = str(number)
        return _absolute(request, f"{request.path}?{params.urlencode()}")

    envelope = {
        "count": count, "page": query.page, "page_size": query.page_size,
        "next": link(query.page + 1) if start + query.page_size < count else None,
        "previous": link(min(query.page - 1, max(1, -(-count // query.page_size)))) if query.page > 1 else None,
    }
    return envelope, items


def _filter_data(values: dict) -> QueryDict:
    """Validated parameters as a FilterSet's form data (lists as repeated keys; empty ones left out)."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            if item not in (None, ""):
                data.appendlist(name, str(item))
    return data


def _filtered(filterset):
    if not filterset.is_valid():
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()))
    return filterset.qs


def _text(obj, field: str) -> dict:
    text, language, _fallback = text_in_reader_language(obj, field)
    return {"text": text, "language": language}


def _country_ref(country) -> dict:
    return {"iso3": country.iso3, "name": country.local_name}


def _country_url(request, country) -> str:
    return _absolute(request, reverse("pledges:country", args=[country.iso3.lower()]))


# --- Index ------------------------------------------------------------------------------------------------------


RESOURCES = ["list_countries", "list_memberships", "list_core_group", "list_champions", "list_pledges",
             "list_commitments", "list_events", "list_announcements", "list_library", "coalition_indicators"]


@api.get("/", response=answers(s.Index), summary="What the API offers", url_name="index")
def index(request, query: Query[s.Common]):
    return {
        "name": api.title, "version": api.version,
        "schema_url": _absolute(request, reverse("api:openapi-json")),
        "docs_url": _absolute(request, reverse("api:openapi-view")),
        "resources": {name.split("_", 1)[1].replace("_", "-"): _absolute(request, reverse(f"api:{name}"))
                      for name in RESOURCES},
    }


# --- Countries and memberships ------------------------------------------------------------------------------


def _countries(today):
    """Every WHO Member State with its reference data and, from the directory's rows, its membership today."""
    rows = directory_selectors.directory(today=today).filter(pk=OuterRef("pk"))
    return Country.objects.annotate(
        size_class=directory_selectors.size_class(),
        membership_status=Coalesce(Subquery(rows.values("membership_status")[:1]), Value("never")),
        member_since=Subquery(rows.values("member_since")[:1]),
    )


def _country(request, c) -> dict:
    regions, incomes = dict(WhoRegion.choices), dict(IncomeGroup.choices)
    return {
        "iso3": c.iso3, "iso2": c.iso2, "m49": c.m49, "name": c.local_name,
        "who_region": c.who_region, "who_region_name": str(regions[c.who_region]),
        "income_group": c.income_group or None,
        "income_group_name": str(incomes[c.income_group]) if c.income_group else None,
        "fragile": c.fragile, "population": c.population, "size_class": c.size_class,
        "membership_status": c.membership_status, "member_since": c.member_since,
        "url": _country_url(request, c),
    }


@api.get("/countries/", response=answers(s.page_of(s.Country)), summary="WHO Member States",
         description="Reference data (WHO region, World Bank income group, fragility, population) and membership "
                     "of the Coalition today, by name in the reader's language.")
def list_countries(request, query: Query[s.CountryQuery]):
    rows = _countries(_today())
    if query.region:
        rows = rows.filter(who_region__in=query.region)
    if query.income:
        rows = rows.filter(income_group__in=query.income)
    if query.status != "all":
        rows = rows.filter(membership_status=query.status)
    rows = rows.order_by(order_by_name("iso2"), "name")
    envelope, items = _page(request, query, rows)
    return {**envelope, "results": [_country(request, c) for c in items]}


@api.get("/countries/{iso3}/", response={**answers(s.Country), 404: s.Error}, summary="One WHO Member State")
def get_country(request, iso3: Annotated[str, Path(pattern=r"^[A-Za-z]{3}$", description="ISO3 code.")],
                query: Query[s.Common]):
    country = _countries(_today()).filter(iso3=iso3.upper()).first()
    if country is None:
        raise HttpError(404, "No WHO Member State has this code.")
    return _country(request, country)


@api.get("/memberships/", response=answers(s.page_of(s.Membership)), summary="Memberships (the member directory)",
         description="The member directory's rows and filters: accession date, the current term, status, Core Group "
                     "seat and pledge status. Current members by default.")
def list_memberships(request, query: Query[s.MembershipQuery]):
    today = _today()
    term = Term.objects.filter(membership__country=OuterRef("pk"), membership__started_on=OuterRef("member_since"),
                               start__lte=today, end__gt=today)
    rows = directory_selectors.directory(today=today).annotate(
        term_number=Subquery(term.values("number")[:1], output_field=IntegerField()),
        term_start=Subquery(term.values("start")[:1]),
    )
    fields = query.model_dump(exclude={"lang", "page", "page_size"})
    filterset = DirectoryFilter(_filter_data(fields), queryset=rows, years=query.year)
    # At most 194 rows, ordered by their names in the reader's language: one query for any page.
    countries = directory_selectors.in_order(list(_filtered(filterset)), query.sort)
    envelope, items = _page(request, query, countries)
    results = []
    for c in items:
        current = c.membership_status == "current"
        results.append({
            "country": _country_ref(c), "who_region": c.who_region, "status": c.membership_status,
            "member_since": c.member_since,
            "current_term": ({"number": c.term_number, "start": c.term_start, "end": c.term_end}
                             if current and c.term_number is not None else None),
            "ends_on": c.membership_ended or c.membership_ends,
            "core_group": c.core_group, "pledge_status": c.pledge_status,
        })
    return {**envelope, "results": results}


@api.get("/core-group/", response=answers(s.page_of(s.Seat)), summary="Core Group seats held today")
def list_core_group(request, query: Query[s.RegionQuery]):
    seats = member_selectors.seats_on(_today())
    if query.region:
        seats = seats.filter(country__who_region__in=query.region)
    envelope, seats = _page(request, query, sorted_by_name(seats, name=lambda seat: seat.country.local_name))
    return {**envelope, "results": [{"country": _country_ref(seat.country), "start": seat.start, "end": seat.end,
                                     "permanent": seat.end is None} for seat in seats]}


@api.get("/champions/", response=answers(s.page_of(s.Champion)), summary="PHC champions of today")
def list_champions(request, query: Query[s.RegionQuery]):
    today = _today()
    champions = member_selectors.current_champions(today).prefetch_related("commitments")
    if query.region:
        champions = champions.filter(country__who_region__in=query.region)
    envelope, champions = _page(request, query, list(champions))
    results = []
    for champion in champions:
        period = next((c for c in champion.commitments.all() if c.start <= today < c.end), None)
        results.append({
            "id": champion.pk, "name": champion.name, "title": _text(champion, "title"),
            "biography": _text(champion, "biography"), "country": _country_ref(champion.country),
            "commitment": {"start": period.start, "end": period.end} if period else None,
            "photo_url": (_absolute(request, reverse("members:champion-photo", args=[champion.pk]))
                          if champion.photo else None),
        })
    return {**envelope, "results": results}


# --- Pledges ----------------------------------------------------------------------------------------------------


def _indicator(track) -> dict:
    i = track.indicator
    return {
        "id": i.pk, "name": i.name, "standard_code": i.standard_code or None, "unit": i.unit,
        "currency": i.currency or None, "source": i.source,
        "baseline_value": number(i.baseline_value), "baseline_year": i.baseline_year,
        "target_value": number(i.target_value), "target_year": i.target_year,
        "latest_value": number(track.latest_value), "latest_year": track.latest_year,
        "percent_of_way": number(track.percent), "expected_value": number(track.expected),
        "status": track.status, "series": [{"year": y, "value": number(v)} for y, v in track.series],
    }


def _commitment(row, country) -> dict:
    c = row["commitment"]
    return {
        "id": c.pk, "pledge_id": c.pledge_id, "country": _country_ref(country), "description": c.description,
        "levers": list(c.levers), "components": list(c.components), "target_date": c.target_date,
        "responsible_institution": c.responsible_institution, "budget": c.budget,
        "no_budget_needed": c.no_budget_needed, "status": row["status"],
        "indicators": [_indicator(t) for t in row["tracks"]],
    }


@api.get("/pledges/", response=answers(s.page_of(s.Pledge)), summary="Published PHC pledges",
         description="Every published pledge with its commitments and their indicators: values, series, percent of "
                     "the way and status. `lever` and `status` keep the pledges with at least one such commitment.")
def list_pledges(request, query: Query[s.PledgeQuery]):
    rows = pledge_selectors.published_pledges()
    if query.region:
        rows = rows.filter(country__who_region__in=query.region)
    if query.income:
        rows = rows.filter(country__income_group__in=query.income)
    if query.country:
        rows = rows.filter(country__iso3=query.country.upper())
    if query.year:
        rows = rows.filter(published_at__year=query.year)
    if query.lever or query.status:
        data = _filter_data({"lever": query.lever, "status": query.status})
        matching = _filtered(CommitmentFilter(data, queryset=Commitment.objects.filter(pledge__in=rows)))
        rows = rows.filter(pk__in=matching.values("pledge_id"))
    rows = pledge_selectors.with_commitments(rows.order_by(order_by_name("country__iso2"), "-published_at", "pk"))
    envelope, pledges = _page(request, query, rows)
    results = []
    for p in pledges:
        results.append({
            "id": p.pk, "country": _country_ref(p.country),
            "term": {"number": p.term.number, "start": p.term.start, "end": p.term.end},
            "title": p.title, "vision": p.vision, "language": p.language, "summary_en": p.summary_en,
            "published_at": p.published_at,
            "url": _absolute(request, reverse("pledges:detail", args=[p.pk])),
            "commitments": [_commitment(row, p.country) for row in pledge_selectors.tracked(p.commitments.all())],
        })
    return {**envelope, "results": results}


@api.get("/commitments/", response=answers(s.page_of(s.Commitment)), summary="Commitments of the latest pledges",
         description="The commitments explorer: commitments of each country's latest published pledge, with its "
                     "filters.")
def list_commitments(request, query: Query[s.CommitmentQuery]):
    fields = query.model_dump(exclude={"lang", "page", "page_size"})
    filterset = CommitmentFilter(_filter_data(fields), queryset=pledge_selectors.published_commitments())
    envelope, commitments = _page(request, query, _filtered(filterset))
    rows = pledge_selectors.tracked(commitments)
    return {**envelope, "results": [_commitment(row, row["commitment"].pledge.country) for row in rows]}


# --- Events, announcements, library ----------------------------------------------------------------------------------


@api.get("/events/", response=answers(s.page_of(s.Event)), summary="Public events",
         description="Upcoming public events by default (`when=past` for the past ones, newest first).")
def list_events(request, query: Query[s.EventQuery]):
    events = _filtered(EventFilter(_filter_data({"kind": query.kind, "theme": query.theme}),
                                   queryset=event_selectors.visible_events(ANONYMOUS)))
    if query.year:
        events = events.filter(starts_at__year=query.year)
    if query.when == "upcoming":
        events = event_selectors.upcoming(events)
    elif query.when == "past":
        events = event_selectors.past(events)
    else:
        events = events.order_by("starts_at", "pk")
    envelope, items = _page(request, query, events)
    now = timezone.now()
    results = [{
        "id": e.pk, "title": _text(e, "title"), "description": _text(e, "description"), "kind": e.kind,
        "theme": e.theme or None, "occasion": e.occasion or None, "starts_at": e.starts_at, "ends_at": e.ends_at,
        "timezone": e.timezone, "venue": e.venue, "online": e.online, "capacity": e.capacity,
        "places_left": e.places_left, "registration": e.registration_state(now),
        "url": _absolute(request, e.get_absolute_url()),
    } for e in items]
    return {**envelope, "results": results}


@api.get("/announcements/", response=answers(s.page_of(s.Announcement)), summary="Public announcements",
         description="Announcements of the Secretariat that were sent and made public, newest first.")
def list_announcements(request, query: Query[s.AnnouncementQuery]):
    rows = announcement_selectors.published()
    if query.year:
        rows = rows.filter(sent_at__year=query.year)
    envelope, items = _page(request, query, rows)
    results = [{"id": a.pk, "title": _text(a, "title"), "body": _text(a, "body"), "sent_at": a.sent_at,
                "url": _absolute(request, a.get_absolute_url())} for a in items]
    return {**envelope, "results": results}


@api.get("/library/", response=answers(s.page_of(s.Resource)), summary="Public resources of the knowledge library",
         description="Documents, links and country case studies open to everyone, newest first.")
def list_library(request, query: Query[s.ResourceQuery]):
    from django.db.models import Prefetch

    rows = library_selectors.visible_resources(ANONYMOUS)
    if query.kind:
        rows = rows.filter(kind__in=query.kind)
    if query.lever:
        rows = rows.filter(levers__overlap=query.lever)
    if query.region:
        rows = rows.filter(regions__overlap=query.region)
    if query.country:
        tagged = rows.model.objects.filter(countries__iso3__in=[c.upper() for c in query.country])
        rows = rows.filter(pk__in=tagged.values("pk"))
    if query.language:
        rows = rows.filter(original_language__in=query.language)
    if query.year:
        rows = rows.filter(published_on__year=query.year)
    rows = rows.order_by("-published_on", "-pk").prefetch_related(
        Prefetch("countries", queryset=Country.objects.order_by()))
    envelope, items = _page(request, query, rows)
    results = [{
        "id": r.pk, "kind": r.kind, "title": _text(r, "title"), "summary": _text(r, "summary"),
        "original_language": r.original_language, "link": r.url or None,
        "document_url": _absolute(request, reverse("library:file", args=[r.pk])) if r.file else None,
        "countries": [_country_ref(c) for c in sorted_by_name(r.countries.all())],
        "regions": list(r.regions), "levers": list(r.levers), "components": list(r.components),
        "published_on": r.published_on, "url": _absolute(request, r.get_absolute_url()),
    } for r in items]
    return {**envelope, "results": results}


# --- Indicators ------------------------------------------------------------------------------------------------------


@api.get("/indicators/", response=answers(s.Indicators), summary="The Coalition's indicators",
         description="The figures of the indicators page: members per year and region, pledge and reporting coverage, "
                     "commitments by lever and status, public events per year.")
def coalition_indicators(request, query: Query[s.Common]):
    today = _today()
    reporting = member_indicators.reporting_coverage(today=today)
    return {
        "on": today,
        "members_over_time": member_indicators.members_over_time(today=today),
        "members_by_region": [{**row, "label": str(row["label"])}
                              for row in member_indicators.members_by_region(today=today)],
        "pledge_coverage": member_indicators.pledge_coverage(today=today),
        "commitments_by_lever": [{"code": row["code"], "label": str(row["label"]), "count": row["count"],
                                  "statuses": dict(row["statuses"])}
                                 for row in member_indicators.commitments_by_lever()],
        "reporting_coverage": {"pledges": reporting["pledges"], "up_to_date": reporting["up_to_date"],
                               "share": reporting["share"],
                               "statuses": {str(k): v for k, v in reporting["statuses"].items() if k}},
        "events_by_year": member_indicators.events_by_year(today=today),
    }
