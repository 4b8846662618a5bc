"""What the public API answers, field by field: each one is chosen here, none copied from a model.

Nothing private has a field: no contact, letter, e-mail address, focal point, draft, closed event,
online link, members-only item or unsent announcement. Numbers of pledges are strings, as in the
open-data exports, so that no precision is lost to floating point.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from events.models import Kind as EventKind
from events.models import Theme
from library.models import Kind as ResourceKind
from members.models import IncomeGroup, WhoRegion
from pledges.catalogue import CATALOGUE
from pledges.models import Component, Lever

Language = Literal["en", "fr", "ru", "es", "ar", "zh-hans"]
Region = Literal[tuple(WhoRegion.values)]
Income = Literal[tuple(IncomeGroup.values)]
LeverCode = Literal[tuple(Lever.values)]
ComponentCode = Literal[tuple(Component.values)]
Progress = Literal["achieved", "on_track", "off_track", "no_data"]
StandardCode = Literal[tuple(i.code for i in CATALOGUE)]


# --- Query parameters -----------------------------------------------------------------------------------


class Common(Schema):
    lang: Language | None = Field(None, description="Language of names and texts; else Accept-Language, else English.")


class Paged(Common):
    page: int = Field(1, ge=1, le=10_000, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=100, description="Items per page (at most 100).")


class CountryQuery(Paged):
    region: list[Region] = Field(default_factory=list, description="WHO regions (any of them).")
    income: list[Income] = Field(default_factory=list, description="World Bank income groups (any of them).")
    status: Literal["current", "former", "never", "all"] = Field(
        "all", description="Membership today: current members, former members, never members, or all.")


class MembershipQuery(Paged):
    """The member directory's filters, with the same meaning (members.filters.DirectoryFilter)."""

    q: str | None = Field(None, max_length=100, description="Any of the country's names or its ISO3 code.")
    status: Literal["current", "former", "all"] = Field("current", description="Current members by default.")
    region: list[Region] = Field(default_factory=list)
    income: list[Income] = Field(default_factory=list)
    size: list[Literal["small", "medium", "large"]] = Field(default_factory=list, description="Population band.")
    fragile: Literal["yes", "no"] | None = None
    year: list[Annotated[int, Field(ge=1900, le=2100)]] = Field(default_factory=list, description="Years of accession (any of them).")
    core_group: Literal["yes", "no"] | None = None
    pledge: list[Literal["none", "draft", "published"]] = Field(default_factory=list)
    sort: Literal["name", "accession", "region"] = "name"


class RegionQuery(Paged):
    region: list[Region] = Field(default_factory=list)


class PledgeQuery(Paged):
    region: list[Region] = Field(default_factory=list)
    income: list[Income] = Field(default_factory=list)
    country: str | None = Field(None, pattern=r"^[A-Za-z]{3}$", description="ISO3 code.")
    year: int | None = Field(None, ge=1900, le=2100, description="Year of publication.")
    lever: list[LeverCode] = Field(default_factory=list, description="Pledges with a commitment on any of these levers.")
    status: list[Progress] = Field(default_factory=list, description="Pledges with a commitment of any of these statuses.")


class CommitmentQuery(Paged):
    """The commitments explorer's filters, with the same meaning (pledges.filters.CommitmentFilter)."""

    q: str | None = Field(None, max_length=100, description="Words of the commitment or its indicators.")
    lever: list[LeverCode] = Field(default_factory=list)
    component: list[ComponentCode] = Field(default_factory=list)
    region: list[Region] = Field(default_factory=list)
    income: list[Income] = Field(default_factory=list)
    status: list[Progress] = Field(default_factory=list)
    standard: StandardCode | None = Field(None, description="A WHO GHO indicator code.")


class EventQuery(Paged):
    when: Literal["upcoming", "past", "all"] = "upcoming"
    kind: Literal[tuple(k for k in EventKind.values if k != EventKind.CORE_GROUP)] | None = None
    theme: Literal[tuple(Theme.values)] | None = None
    year: int | None = Field(None, ge=1900, le=2100, description="Year the event starts.")


class AnnouncementQuery(Paged):
    year: int | None = Field(None, ge=1900, le=2100, description="Year the announcement was sent.")


class ResourceQuery(Paged):
    kind: list[Literal[tuple(ResourceKind.values)]] = Field(default_factory=list)
    lever: list[LeverCode] = Field(default_factory=list)
    region: list[Region] = Field(default_factory=list)
    country: list[str] = Field(default_factory=list, description="ISO3 codes.")
    language: list[Language] = Field(default_factory=list, description="Original language of the resource.")
    year: int | None = Field(None, ge=1900, le=2100, description="Year of publication.")


# --- Answers ----------------------------------------------------------------------------------------------


class Error(Schema):
    detail: str | list | dict


class RateLimited(Schema):
    detail: str
    retry_after: int


class Text(Schema):
    """A text the Secretariat writes in several languages: in the reader's, or else in its original."""

    text: str
    language: Language


class CountryRef(Schema):
    iso3: str
    name: str


class Country(Schema):
    iso3: str
    iso2: str
    m49: str
    name: str = Field(description="In the reader's language: WHO's short name in English, CLDR's in the others.")
    who_region: Region
    who_region_name: str
    income_group: Income | None
    income_group_name: str | None
    fragile: bool
    population: int | None
    size_class: Literal["small", "medium", "large"]
    membership_status: Literal["current", "former", "never"]
    member_since: date | None = Field(description="Accession date of the latest membership.")
    url: str = Field(description="The country's page on the site.")


class Term(Schema):
    number: int
    start: date
    end: date


class Membership(Schema):
    country: CountryRef
    who_region: Region
    status: Literal["current", "former"]
    member_since: date = Field(description="Accession date.")
    current_term: Term | None = Field(description="The term in force today (current members).")
    ends_on: date | None = Field(description="When the membership ends or ended: set by a written notice or "
                                             "its end; null while it renews automatically.")
    core_group: bool
    pledge_status: Literal["none", "draft", "published"]


class Seat(Schema):
    country: CountryRef
    start: date
    end: date | None
    permanent: bool


class Period(Schema):
    start: date
    end: date


class Champion(Schema):
    id: int
    name: str
    title: Text
    biography: Text
    country: CountryRef
    commitment: Period | None
    photo_url: str | None


class Point(Schema):
    year: int
    value: str


class Indicator(Schema):
    id: int
    name: str
    standard_code: str | None
    unit: str
    currency: str | None
    source: str
    baseline_value: str | None
    baseline_year: int | None
    target_value: str | None
    target_year: int | None
    latest_value: str | None
    latest_year: int | None
    percent_of_way: str | None = Field(description="Share of the distance from baseline to target covered.")
    expected_value: str | None = Field(description="Where the straight line to the target stands in the latest year.")
    status: Progress
    series: list[Point] = Field(description="Published values, one per year.")


class Commitment(Schema):
    id: int
    pledge_id: int
    country: CountryRef
    description: str
    levers: list[LeverCode]
    components: list[ComponentCode]
    target_date: date | None
    responsible_institution: str
    budget: str
    no_budget_needed: bool
    status: Progress
    indicators: list[Indicator]


class Pledge(Schema):
    id: int
    country: CountryRef
    term: Term
    title: str
    vision: str
    language: Language = Field(description="The language the pledge is written in.")
    summary_en: str
    published_at: datetime
    url: str
    commitments: list[Commitment]


class Event(Schema):
    id: int
    title: Text
    description: Text
    kind: str
    theme: str | None
    occasion: str | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str
    online: bool = Field(description="Whether it can be joined online (the link goes to confirmed registrants only).")
    capacity: int | None
    places_left: int | None
    registration: Literal["not_yet", "open", "closed", "over"]
    url: str


class Announcement(Schema):
    id: int
    title: Text
    body: Text
    sent_at: datetime
    url: str


class Resource(Schema):
    id: int
    kind: Literal[tuple(ResourceKind.values)]
    title: Text
    summary: Text
    original_language: Language
    link: str | None
    document_url: str | None
    countries: list[CountryRef]
    regions: list[Region]
    levers: list[LeverCode]
    components: list[ComponentCode]
    published_on: date
    url: str


def page_of(item):
    """The envelope of a paginated list of ``item``."""
    return type(f"{item.__name__}Page", (Schema,), {
        "__annotations__": {"count": int, "page": int, "page_size": int, "next": str | None,
                            "previous": str | None, "results": list[item]},
        "__module__": __name__,
    })


class YearRow(Schema):
    year: int
    accessions: int
    renewals: int
    terminations: int
    members: int


class RegionCount(Schema):
    code: Region
    label: str
    count: int


class PledgeCoverage(Schema):
    members: int
    published: int
    share: int


class StatusCounts(Schema):
    achieved: int = 0
    on_track: int = 0
    off_track: int = 0
    no_data: int = 0


class LeverRow(Schema):
    code: LeverCode
    label: str
    count: int
    statuses: StatusCounts


class ReportingCounts(Schema):
    up_to_date: int = 0
    due: int = 0
    overdue: int = 0
    inactive: int = 0


class ReportingCoverage(Schema):
    pledges: int
    up_to_date: int
    share: int
    statuses: ReportingCounts


class EventYear(Schema):
    year: int
    events: int
    countries: int


class Indicators(Schema):
    """The Coalition's monitoring indicators, as on the indicators page."""

    on: date = Field(description="The day the figures are computed for (today).")
    members_over_time: list[YearRow]
    members_by_region: list[RegionCount]
    pledge_coverage: PledgeCoverage
    commitments_by_lever: list[LeverRow]
    reporting_coverage: ReportingCoverage
    events_by_year: list[EventYear]


class Index(Schema):
    name: str
    version: str
    schema_url: str
    docs_url: str
    resources: dict[str, str]
