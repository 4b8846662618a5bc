"""Reads of the library: who sees which resource, and the search over everything the library holds.

The library holds its own resources (documents, links, case studies), the materials of the events
the reader may see, and the barriers and lessons of published progress reports. One SQL statement
gathers the matches of the three (``_hits``); the page of results and every facet's counts are
two queries over it, however many items match.

Search: PostgreSQL full-text search over ``unaccent``-ed text ("sante" finds "santé"). A text is
indexed with the configuration of its own language (Russian stems: "больницы" finds "больница")
and with ``simple`` (the words as written, for readers searching in another language); the query
is read in the reader's language and in ``simple``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from accounts import access
from events import selectors as event_selectors
from events.models import Material, Theme
from library.models import Kind, Resource
from members.models import Country, WhoRegion
from pledges.models import CommitmentProgress, Lever, ProgressReport

# PostgreSQL's text-search configuration for each language of the site (15 has Arabic; Chinese has none).
CONFIGS = {"en": "english", "fr": "french", "ru": "russian", "es": "spanish", "ar": "arabic", "zh-hans": "simple"}

# What the kind facet offers: the resources' own kinds, and the items the library shows from elsewhere.
EVENT_MATERIAL = "event_material"
LESSON = "lesson"
ENTRY_KINDS = [*Kind.choices, (EVENT_MATERIAL, _("Event material")), (LESSON, _("Lesson learned"))]

# An event's theme stands for the lever its materials are about.
THEME_LEVERS = {
    Theme.POLITICAL_COMMITMENT: Lever.POLITICAL_COMMITMENT,
    Theme.GOVERNANCE: Lever.GOVERNANCE,
    Theme.RESOURCING: Lever.FUNDING,
    Theme.ENGAGEMENT: Lever.ENGAGEMENT,
}

FACETS = ("kind", "lever", "region", "country", "language")


def config_for(language: str | None) -> str:
    return CONFIGS.get(language or "", "simple")


# --- Who sees what ---------------------------------------------------------------------------------------


def sees_members_only(user) -> bool:
    """Members-only resources: the Secretariat and people who speak for a member country today."""
    return access.is_secretariat(user) or bool(access.countries_of(user))


def visible_resources(user) -> QuerySet[Resource]:
    resources = Resource.objects.all()
    if sees_members_only(user):
        return resources
    return resources.filter(members_only=False)


# --- Search ------------------------------------------------------------------------------------------------


@dataclass
class Filters:
    q: str = ""
    kinds: list = field(default_factory=list)
    levers: list = field(default_factory=list)
    regions: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    languages: list = field(default_factory=list)


def _case(column: str, mapping: dict, cast: str) -> str:
    # Values are our own constants (configurations, levers), never the visitor's text.
    arms = " ".join(f"WHEN '{key}' THEN {value}" for key, value in mapping.items())
    return f"(CASE {column} {arms} ELSE {cast} END)"


def _config_case(column: str) -> str:
    return _case(column, {code: f"'{cfg}'::regconfig" for code, cfg in CONFIGS.items()}, "'simple'::regconfig")


def _vector(config_sql: str, text_sql: str) -> str:
    return (f"(to_tsvector({config_sql}, unaccent({text_sql})) "
            f"|| to_tsvector('simple'::regconfig, unaccent({text_sql})))")


def _material_text() -> str:
    columns = ", ".join(f"m.{build_localized_fieldname('title', code)}" for code, _name in settings.LANGUAGES)
    return f"concat_ws(' ', {columns})"


@dataclass(frozen=True)
class Reader:
    """What the search needs to know of who reads, asked once (it is asked again for each query otherwise)."""

    sees_members_only: bool
    events_sql: str
    events_params: tuple

    @classmethod
    def of(cls, user) -> Reader:
        try:
            sql, params = event_selectors.visible_events(user).values("pk").query.sql_with_params()
        except EmptyResultSet:
            sql, params = "SELECT NULL::bigint WHERE FALSE", ()
        return cls(sees_members_only=sees_members_only(user), events_sql=sql, events_params=tuple(params))


def _hits(*, reader: Reader, q: str) -> tuple[str, list]:
    """``WITH … hits AS (…)``: every item the reader may see that matches ``q`` (everything without one),
    as (source, id, kind, language, levers, regions, countries, day, rank)."""
    params: list = []
    searching = bool(q.strip())
    if searching:
        head = ("WITH query AS (SELECT websearch_to_tsquery(%s::regconfig, unaccent(%s)) "
                "|| websearch_to_tsquery('simple'::regconfig, unaccent(%s)) AS tsq), ")
        params += [config_for(get_language()), q, q]
        join_query = "CROSS JOIN query"
    else:
        head = "WITH "
        join_query = ""

    def matched(vector_sql):
        return (f"ts_rank({vector_sql}, query.tsq)", f"AND {vector_sql} @@ query.tsq") if searching else ("0.0", "")

    rank, match = matched("t.search_vector")
    resources = f"""
        SELECT 'resource' AS source, r.id AS id, r.kind::text AS kind, r.original_language::text AS language,
               r.levers::text[] AS levers, r.regions::text[] AS regions,
               ARRAY(SELECT rc.country_id FROM library_resource_countries rc WHERE rc.resource_id = r.id)::bigint[]
                   AS countries,
               r.published_on AS day, {rank} AS rank
        FROM library_resource r JOIN library_resourcetext t ON t.resource_id = r.id {join_query}
        WHERE (%s OR NOT r.members_only) {match}"""
    params.append(reader.sees_members_only)
    levers = _case("e.theme", {theme.value: f"ARRAY['{lever.value}']::text[]" for theme, lever in THEME_LEVERS.items()},
                   "'{}'::text[]")
    rank, match = matched("mv.vector")
    lateral = (f"CROSS JOIN LATERAL (SELECT {_vector(_config_case('e.original_language'), _material_text())} AS vector) mv"
               if searching else "")
    materials = f"""
        SELECT 'material', m.id, '{EVENT_MATERIAL}', e.original_language::text, {levers}, '{{}}'::text[],
               '{{}}'::bigint[], m.added_at::date, {rank}
        FROM events_material m JOIN events_event e ON e.id = m.event_id {join_query} {lateral}
        WHERE m.event_id IN ({reader.events_sql}) {match}"""
    params += list(reader.events_params)

    rank, match = matched("lv.vector")
    vector = _vector(_config_case("p.language"), "concat_ws(' ', cp.barriers, cp.lessons)")
    lateral = f"CROSS JOIN LATERAL (SELECT {vector} AS vector) lv" if searching else ""
    lessons = f"""
        SELECT 'lesson', cp.id, '{LESSON}', p.language::text, c.levers::text[], ARRAY[co.who_region]::text[],
               ARRAY[co.id]::bigint[], pr.published_at::date, {rank}
        FROM pledges_commitmentprogress cp
        JOIN pledges_progressreport pr ON pr.id = cp.report_id
        JOIN pledges_commitment c ON c.id = cp.commitment_id
        JOIN pledges_pledge p ON p.id = pr.pledge_id
        JOIN members_country co ON co.id = p.country_id {join_query} {lateral}
        WHERE pr.status = %s AND (cp.barriers <> '' OR cp.lessons <> '') {match}"""
    params.append(ProgressReport.Status.PUBLISHED)
    return f"{head}hits AS ({resources} UNION ALL {materials} UNION ALL {lessons})", params


def _where(filters: Filters, *, without: str | None = None) -> tuple[str, list]:
    """The facets' conditions on ``hits``: any of the values chosen within a facet, every facet at once;
    ``without`` leaves one facet out (its own counts do not narrow as its boxes are ticked)."""
    conditions, params = ["TRUE"], []
    for facet, values, sql in [
        ("kind", filters.kinds, "kind = ANY(%s::text[])"),
        ("lever", filters.levers, "levers && %s::text[]"),
        ("region", filters.regions, "regions && %s::text[]"),
        ("country", filters.countries, "countries && %s::bigint[]"),
        ("language", filters.languages, "language = ANY(%s::text[])"),
    ]:
        if values and facet != without:
            conditions.append(sql)
            params.append(list(values))
    return " AND ".join(conditions), params


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


class Search:
    """The results of one search: ``count``, ``facets`` and slices of items, for a Paginator.

    Two queries whatever the number of matches (counts and facets in one, the page in another),
    and one per source shown on the page to load its items.
    """

    def __init__(self, *, user, filters: Filters):
        self.reader = Reader.of(user)
        self.filters = filters
        self._counts = None

    def _facet_counts(self) -> dict:
        if self._counts is None:
            hits, params = _hits(reader=self.reader, q=self.filters.q)
            parts = []
            where, where_params = _where(self.filters)
            parts.append(f"SELECT 'total', '', count(*) FROM hits WHERE {where}")
            params += where_params
            for facet, value_sql, source in [
                ("kind", "kind", "hits"), ("lever", "v", "hits, unnest(levers) v"),
                ("region", "v", "hits, unnest(regions) v"), ("country", "v::text", "hits, unnest(countries) v"),
                ("language", "language", "hits"),
            ]:
                where, where_params = _where(self.filters, without=facet)
                parts.append(f"SELECT '{facet}', {value_sql}, count(*) FROM {source} WHERE {where} GROUP BY 1, 2")
                params += where_params
            with connection.cursor() as cursor:
                cursor.execute(f"{hits} {' UNION ALL '.join(parts)}", params)
                rows = cursor.fetchall()
            self._counts = {facet: {} for facet in ("total", *FACETS)}
            for facet, value, count in rows:
                self._counts[facet][value] = count
        return self._counts

    @property
    def count(self) -> int:
        return self._facet_counts()["total"].get("", 0)

    def __len__(self):
        return self.count

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        if stop is not None and stop <= start:
            return []
        hits, params = _hits(reader=self.reader, q=self.filters.q)
        where, where_params = _where(self.filters)
        sql = (f"{hits} SELECT source, id FROM hits WHERE {where} "
               "ORDER BY rank DESC, day DESC NULLS LAST, source, id DESC LIMIT %s OFFSET %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *where_params, stop - start, start])
            rows = cursor.fetchall()
        return _load(rows)

    def facets(self) -> dict[str, list[Option]]:
        counts = self._facet_counts()
        f = self.filters
        country_ids = {int(v) for v in counts["country"]} | {int(v) for v in f.countries}
        countries = Country.objects.filter(pk__in=country_ids) if country_ids else []
        from members.names import sorted_by_name

        def options(facet, choices, chosen):
            return [Option(str(value), str(label), counts[facet].get(str(value), 0), str(value) in chosen)
                    for value, label in choices
                    if counts[facet].get(str(value)) or str(value) in chosen]

        return {
            "kind": options("kind", ENTRY_KINDS, f.kinds),
            "lever": options("lever", Lever.choices, f.levers),
            "region": options("region", WhoRegion.choices, f.regions),
            "country": options("country", [(c.pk, c.local_name) for c in sorted_by_name(countries)],
                               {str(c) for c in f.countries}),
            "language": options("language", settings.LANGUAGES, f.languages),
        }


@dataclass
class Item:
    """One result: ``source`` says which of ``resource``, ``material`` or ``lesson`` it is."""

    source: str
    obj: object

    @property
    def kind(self) -> str:
        if self.source == "resource":
            return self.obj.kind
        return EVENT_MATERIAL if self.source == "material" else LESSON

    @property
    def kind_label(self) -> str:
        return str(dict(ENTRY_KINDS)[self.kind])


def _load(rows) -> list[Item]:
    """The page's items in the order found, loaded with one query per source."""
    ids = {"resource": [], "material": [], "lesson": []}
    for source, pk in rows:
        ids[source].append(pk)
    loaded = {}
    if ids["resource"]:
        countries = Prefetch("countries", queryset=Country.objects.order_by())
        for r in Resource.objects.filter(pk__in=ids["resource"]).prefetch_related(countries):
            loaded["resource", r.pk] = r
    if ids["material"]:
        for m in Material.objects.filter(pk__in=ids["material"]).select_related("event"):
            loaded["material", m.pk] = m
    if ids["lesson"]:
        for e in CommitmentProgress.objects.filter(pk__in=ids["lesson"]).select_related(
                "report__pledge__country", "commitment"):
            loaded["lesson", e.pk] = e
    return [Item(source, loaded[source, pk]) for source, pk in rows if (source, pk) in loaded]


def search(*, user, filters: Filters) -> Search:
    return Search(user=user, filters=filters)


def event_if_visible(user, resource: Resource):
    """The event a resource came from, if the reader may see it (a closed meeting stays unnamed)."""
    if resource.event_id is None:
        return None
    return event_selectors.visible_events(user).filter(pk=resource.event_id).first()
