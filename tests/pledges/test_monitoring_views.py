"""Pledges monitored with numbers, as seen through the pages: the explorer, the open-data exports,
recalling a submission, the review with its checklist, and the reporting status over time."""

import csv
import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from members import dates
from pledges import exports, selectors, services, views
from pledges.models import Commitment, IndicatorValue, Pledge, PledgeVersion, ReportingStatus
from tests.factories import member
from tests.outcomes import outcome
from tests.pledges.conftest import fill, indicator, make_focal_point, publish, since
from tests.pledges.test_views import as_

pytestmark = pytest.mark.django_db


# --- Building published pledges with numbers ----------------------------------------------------------


def commitment(description, levers, components, *indicators, institution="Ministry of Health"):
    return {"description": description, "levers": levers, "components": components,
            "responsible_institution": institution, "budget": "USD 1 million, state budget",
            "indicators": list(indicators)}


def publish_with(country, focal_point, staff, *, title, commitments):
    pledge = services.start_pledge(country=country, by=focal_point)
    fill(pledge, focal_point, title=title, commitments=commitments)
    services.submit_pledge(pledge=pledge, by=focal_point)
    services.accept_pledge(pledge=pledge, by=staff)
    return services.publish_pledge(pledge=pledge, by=staff)


def report_on(pledge, focal_point, staff, values, *, published=True):
    """A progress report giving ``values`` ({indicator name: number}) for the report's year."""
    report = services.start_progress_report(pledge=pledge, by=focal_point)
    entries = {}
    for e in report.entries.select_related("commitment"):
        entries[e.commitment_id] = {
            "completion": "substantial", "narrative": "Work is under way.",
            "values": {i.pk: {"value": Decimal(str(values[i.name])) if i.name in values else None, "year": report.year}
                       for i in e.commitment.indicators.all()},
        }
    services.save_progress_draft(report=report, by=focal_point, entries=entries)
    if published:
        services.submit_progress_report(report=report, by=focal_point)
        services.publish_progress_report(report=report, by=staff)
    report.refresh_from_db()
    return report


DESCRIPTIONS = {
    "kz1": "Cut out-of-pocket payments for outpatient medicines.",
    "kz2": "Register every resident with a family doctor.",
    "fr": "Réforme des maisons de santé pluriprofessionnelles.",
    "gh": "Open a district health hub in every region.",
}
HIDDEN = {
    "draft": "Secret draft promise about vaccines.",
    "submitted": "Submitted promise awaiting its review.",
    "returned": "Returned promise needing more work.",
    "accepted": "Accepted promise not yet published.",
}
DRAFT_VALUE = "777.25"


@pytest.fixture
def world(kz, kz_fp, fr, fr_fp, secretariat):
    """Three published pledges with numbers, and pledges at every earlier stage that must never show."""
    year = timezone.localdate().year + 1  # the year of each first progress report
    kz_pledge = publish_with(kz, kz_fp, secretariat, title="Kazakhstan: care close to home", commitments=[
        # 40 → 20 (lower is better), 30 reported in the target year itself: half way, but off track.
        commitment(DESCRIPTIONS["kz1"], ["funding"], ["multisectoral"],
                   indicator("Households facing catastrophic spending", 40, 20, target_year=year)),
        commitment(DESCRIPTIONS["kz2"], ["models_of_care"], ["integrated_services"],
                   indicator("Share of residents registered", 60, 95, target_year=year + 3)),
    ])
    report_on(kz_pledge, kz_fp, secretariat, {"Households facing catastrophic spending": 30,
                                              "Share of residents registered": 95})
    fr_pledge = publish_with(fr, fr_fp, secretariat, title="France : soins primaires", commitments=[
        # 10 (last year) → 20 (next year): 15 expected this year, 19 is ahead of the line.
        commitment(DESCRIPTIONS["fr"], ["workforce"], ["empowered_people"],
                   indicator("Infirmières pour 10 000 habitants", 10, 20, baseline_year=year - 1, target_year=year + 1,
                             standard_code="HWF_0006")),
    ])
    report_on(fr_pledge, fr_fp, secretariat, {"Infirmières pour 10 000 habitants": 19})
    gh = member("GH", since=since()).country
    gh_fp = make_focal_point(gh, email="fp@gh.example.org")
    gh_pledge = publish_with(gh, gh_fp, secretariat, title="Ghana: health hubs", commitments=[
        commitment(DESCRIPTIONS["gh"], ["funding", "digital"], ["integrated_services"],
                   indicator("Clinics connected by télémédecine", 0, 260, unit="count", target_year=year + 3)),
    ])
    # A report still in draft: its value is nobody's business yet.
    report_on(gh_pledge, gh_fp, secretariat, {"Clinics connected by télémédecine": Decimal(DRAFT_VALUE)}, published=False)

    hidden = {}
    people = [kz_fp.email, fr_fp.email, gh_fp.email, secretariat.email]
    for stage, iso2 in [("draft", "BR"), ("submitted", "VN"), ("returned", "IN"), ("accepted", "MX")]:
        country = member(iso2, since=since()).country
        fp = make_focal_point(country, email=f"fp@{iso2.lower()}.example.org")
        people.append(fp.email)
        pledge = services.start_pledge(country=country, by=fp)
        fill(pledge, fp, title=f"Hidden {stage} pledge", commitments=[
            commitment(HIDDEN[stage], ["funding"], ["integrated_services"],
                       indicator(f"Hidden {stage} indicator", 1, 2)),
        ])
        if stage != "draft":
            services.submit_pledge(pledge=pledge, by=fp)
        if stage == "returned":
            services.return_pledge(pledge=pledge, by=secretariat, comment="Be more precise.")
        if stage == "accepted":
            services.accept_pledge(pledge=pledge, by=secretariat)
        hidden[stage] = pledge
    ids = {key: Commitment.objects.get(description=text).pk for key, text in DESCRIPTIONS.items()}
    return {"year": year, "ids": ids, "hidden": hidden, "people": people,
            "pledges": {"kz": kz_pledge, "fr": fr_pledge, "gh": gh_pledge}}


def shown(html) -> set[str]:
    return {key for key, text in DESCRIPTIONS.items() if text in html}


# --- The explorer ---------------------------------------------------------------------------------------


def test_explorer_lists_only_commitments_of_published_pledges(client, world):
    response = client.get(reverse("pledges:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert shown(html) == {"kz1", "kz2", "fr", "gh"}
    assert "4 commitments match." in html
    for stage, text in HIDDEN.items():
        assert text not in html, stage
        assert f"Hidden {stage}" not in html
    for pledge in world["hidden"].values():
        assert reverse("pledges:detail", args=[pledge.pk]) not in html
    # A search for words only the hidden pledges use finds nothing.
    html = client.get(reverse("pledges:list"), {"q": "promise"}).content.decode()
    assert "No published commitment matches these filters." in html and "0 commitments match." in html


@pytest.mark.parametrize("query, expected", [
    ({"lever": "funding"}, {"kz1", "gh"}),
    ({"lever": ["funding", "workforce"]}, {"kz1", "gh", "fr"}),
    ({"lever": "governance"}, set()),
    ({"component": "integrated_services"}, {"kz2", "gh"}),
    ({"component": "empowered_people"}, {"fr"}),
    ({"region": "AFR"}, {"gh"}),
    ({"region": "EUR"}, {"kz1", "kz2", "fr"}),
    ({"income": "H"}, {"fr"}),
    ({"income": "UM"}, {"kz1", "kz2"}),
    ({"standard": "HWF_0006"}, {"fr"}),
    ({"standard": "UHC_INDEX_REPORTED"}, set()),
    ({"status": "off_track"}, {"kz1"}),
    ({"status": "achieved"}, {"kz2"}),
    ({"status": "on_track"}, {"fr"}),
    ({"status": "no_data"}, {"gh"}),
    ({"status": ["achieved", "on_track"]}, {"kz2", "fr"}),
    ({"q": "out-of-pocket"}, {"kz1"}),
    ({"q": "REFORME"}, {"fr"}),  # in the description, ignoring accents and case
    ({"q": "telemedecine"}, {"gh"}),  # in an indicator's name, ignoring the accents
    ({"q": "infirmieres"}, {"fr"}),
    ({"region": "EUR", "lever": "funding"}, {"kz1"}),
])
def test_each_explorer_filter_narrows(client, world, query, expected):
    html = client.get(reverse("pledges:list"), query).content.decode()
    assert shown(html) == expected
    n = len(expected)
    if n == 1:
        assert "1 commitment matches." in html
    else:
        assert f"{n} commitments match." in html
    for text in HIDDEN.values():
        assert text not in html


def test_explorer_shows_how_far_each_indicator_has_come(client, world):
    html = client.get(reverse("pledges:list")).content.decode()
    # 40 → 20, 30 reported: half of the distance covered (whichever way the target lies)...
    assert "50% of the way to the target" in html
    # ...but 30 in the target year is not 20: off track, not on track.
    kz1 = html[html.index(DESCRIPTIONS["kz1"]):html.index(DESCRIPTIONS["kz2"])]
    assert "50% of the way to the target" in kz1 and "Off track" in kz1 and "On track" not in kz1
    assert "100% of the way to the target" in html  # 60 → 95 at 95: achieved
    assert "90% of the way to the target" in html  # 10 → 20 at 19
    assert "Achieved" in html and "On track" in html
    assert DRAFT_VALUE not in html and "777,25" not in html


def test_explorer_escapes_what_focal_points_write(client, kz, kz_fp, secretariat):
    publish_with(kz, kz_fp, secretariat, title="<b>Bold</b> pledge", commitments=[
        commitment("<script>alert(1)</script>", ["funding"], ["multisectoral"], indicator("<i>Share</i>", 1, 2)),
    ])
    html = client.get(reverse("pledges:list")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<i>Share</i>" not in html and "&lt;i&gt;Share&lt;/i&gt;" in html


def test_explorer_pages(client, world, monkeypatch):
    monkeypatch.setattr(views, "EXPLORER_PAGE_SIZE", 2)
    url = reverse("pledges:list")
    # In the order of the countries' names: France, Ghana, Kazakhstan (two).
    first = client.get(url).content.decode()
    assert shown(first) == {"fr", "gh"} and "Page 1 of 2" in first
    assert 'href="?page=2" rel="next"' in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert shown(second) == {"kz1", "kz2"} and "Page 2 of 2" in second
    assert 'href="?page=1" rel="prev"' in second
    # Beyond the last page, the last page; nonsense, the first. The count is always of all matches.
    assert shown(client.get(url, {"page": "9"}).content.decode()) == {"kz1", "kz2"}
    assert shown(client.get(url, {"page": "x"}).content.decode()) == {"fr", "gh"}
    # The filters are kept in the links between pages.
    filtered = client.get(url, {"region": "EUR"}).content.decode()
    assert shown(filtered) == {"fr", "kz1"} and "3 commitments match." in filtered
    assert 'href="?region=EUR&amp;page=2" rel="next"' in filtered
    assert shown(client.get(url, {"region": "EUR", "page": "2"}).content.decode()) == {"kz2"}


# The count, one page of commitments, their indicators, their published values: 4 for 2 and for 6 countries.
QUERIES = 4


@pytest.mark.parametrize("countries", [2, 6])
def test_explorer_query_count_does_not_grow_with_countries(client, secretariat, countries,
                                                           django_assert_max_num_queries):
    for iso2 in ["KZ", "FR", "GH", "BR", "VN", "IN"][:countries]:
        country = member(iso2, since=since()).country
        fp = make_focal_point(country)
        pledge = publish(country, fp, secretariat)
        report_on(pledge, fp, secretariat, {"Share of residents registered": 70,
                                            "PHC share of government health expenditure": 40})
    with django_assert_max_num_queries(QUERIES):
        html = client.get(reverse("pledges:list")).content.decode()
    assert f"{2 * countries} commitments match." in html
    assert html.count("Register every resident") == countries


# --- Open data ------------------------------------------------------------------------------------------


def csv_lines(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def test_csv_export_is_long_format_with_the_documented_header(client, world):
    header, lines = csv_lines(client.get(reverse("pledges:export-csv")))
    assert header == exports.CSV_FIELDS
    ids = world["ids"]
    assert sorted(int(line["commitment_id"]) for line in lines) == sorted(ids.values())
    kz1 = next(line for line in lines if int(line["commitment_id"]) == ids["kz1"])
    assert kz1["country_iso3"] == "KAZ" and kz1["levers"] == "funding" and kz1["components"] == "multisectoral"
    assert (kz1["baseline_value"], kz1["target_value"], kz1["latest_value"]) == ("40", "20", "30")
    assert kz1["percent_of_way"] == "50" and kz1["status"] == "off_track"
    assert (kz1["value_year"], kz1["value"]) == (str(world["year"]), "30")
    fr = next(line for line in lines if int(line["commitment_id"]) == ids["fr"])
    assert fr["standard_code"] == "HWF_0006" and fr["unit"] == "per_10000" and fr["status"] == "on_track"
    # An indicator without a published value: one line, with empty value columns.
    gh = [line for line in lines if int(line["commitment_id"]) == ids["gh"]]
    assert len(gh) == 1 and gh[0]["value"] == "" and gh[0]["value_year"] == "" and gh[0]["status"] == "no_data"
    assert gh[0]["levers"] == "funding;digital"


def test_csv_has_one_line_per_reported_value(client, kz, kz_fp, secretariat):
    pledge = publish(kz, kz_fp, secretariat)
    first = report_on(pledge, kz_fp, secretariat, {"Share of residents registered": 70})
    second = report_on(pledge, kz_fp, secretariat, {"Share of residents registered": 80.5})
    assert second.year == first.year + 1
    _header, lines = csv_lines(client.get(reverse("pledges:export-csv")))
    registered = [(line["value_year"], line["value"]) for line in lines
                  if line["indicator_name"] == "Share of residents registered"]
    assert registered == [(str(first.year), "70"), (str(second.year), "80.5")]
    other = [line for line in lines if line["indicator_name"] == "PHC share of government health expenditure"]
    assert len(other) == 1 and other[0]["value"] == ""
    payload = client.get(reverse("pledges:export-json")).json()
    record = next(r for r in payload["indicators"] if r["indicator_name"] == "Share of residents registered")
    assert record["series"] == [{"year": first.year, "value": "70"}, {"year": second.year, "value": "80.5"}]
    assert record["latest_value"] == "80.5" and record["latest_year"] == second.year


def test_json_export(client, world):
    response = client.get(reverse("pledges:export-json"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    payload = response.json()
    assert payload["schema"] == "phc-coalition-commitments/1" == exports.SCHEMA
    assert payload["generated_on"] == timezone.localdate().isoformat()
    assert payload["count"] == 4 == len(payload["indicators"])
    by_commitment = {r["commitment_id"]: r for r in payload["indicators"]}
    ids = world["ids"]
    assert set(by_commitment) == set(ids.values())
    kz1 = by_commitment[ids["kz1"]]
    assert kz1["series"] == [{"year": world["year"], "value": "30"}]
    assert kz1["percent_of_way"] == "50" and kz1["status"] == "off_track" and kz1["levers"] == ["funding"]
    assert by_commitment[ids["kz2"]]["status"] == "achieved"
    assert by_commitment[ids["fr"]]["indicator_name"] == "Infirmières pour 10 000 habitants"
    assert by_commitment[ids["gh"]]["series"] == [] and by_commitment[ids["gh"]]["latest_value"] is None


@pytest.mark.parametrize("query, expected", [
    ({"lever": "funding"}, {"kz1", "gh"}),
    ({"region": "AFR"}, {"gh"}),
    ({"income": "H"}, {"fr"}),
    ({"status": "off_track"}, {"kz1"}),
    ({"standard": "HWF_0006"}, {"fr"}),
    ({"q": "REFORME"}, {"fr"}),
])
def test_exports_take_the_explorers_filters(client, world, query, expected):
    wanted = {world["ids"][key] for key in expected}
    _header, lines = csv_lines(client.get(reverse("pledges:export-csv"), query))
    assert {int(line["commitment_id"]) for line in lines} == wanted
    payload = client.get(reverse("pledges:export-json"), query).json()
    assert {r["commitment_id"] for r in payload["indicators"]} == wanted
    assert payload["count"] == len(wanted)


def test_explorer_links_to_the_exports_with_its_filters(client, world):
    html = client.get(reverse("pledges:list"), {"lever": "funding"}).content.decode()
    assert f'href="{reverse("pledges:export-csv")}?lever=funding"' in html
    assert f'href="{reverse("pledges:export-json")}?lever=funding"' in html


def test_exports_hold_no_personal_data_and_nothing_unpublished(client, world, kz, fr):
    people = world["people"] + ["contact@kz.example.org", "contact@fr.example.org", "contact@gh.example.org"]
    hidden_pledges = {p.pk for p in world["hidden"].values()}
    for name in ("pledges:export-csv", "pledges:export-json"):
        content = client.get(reverse(name)).content.decode()
        for address in people:
            assert address not in content, (name, address)
        assert "@" not in content
        assert "Hidden" not in content and DRAFT_VALUE not in content
    payload = client.get(reverse("pledges:export-json")).json()
    assert {r["pledge_id"] for r in payload["indicators"]} == {p.pk for p in world["pledges"].values()}
    assert not hidden_pledges & {r["pledge_id"] for r in payload["indicators"]}
    _header, lines = csv_lines(client.get(reverse("pledges:export-csv")))
    assert {int(line["pledge_id"]) for line in lines} == {p.pk for p in world["pledges"].values()}
    # The draft report's value is stored, just not published.
    assert IndicatorValue.objects.filter(value=Decimal(DRAFT_VALUE)).exists()


# --- Recalling a submission -----------------------------------------------------------------------------


@pytest.fixture
def submitted(kz, kz_fp):
    pledge = services.start_pledge(country=kz, by=kz_fp)
    fill(pledge, kz_fp)
    return services.submit_pledge(pledge=pledge, by=kz_fp)


def test_a_focal_point_recalls_a_submission(client, kz_fp, submitted):
    html = as_(client, kz_fp).get(reverse("pledges:detail", args=[submitted.pk])).content.decode()
    assert "Recall the submission" in html
    response = client.post(reverse("pledges:recall", args=[submitted.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("pledges:edit", args=[submitted.pk])
    submitted.refresh_from_db()
    assert submitted.status == Pledge.Status.DRAFT
    version = submitted.versions.get()
    assert version.outcome == PledgeVersion.Outcome.RECALLED == "recalled"
    assert version.reviewed_by == kz_fp
    # The draft can be edited and submitted again, as version 2.
    assert client.get(reverse("pledges:edit", args=[submitted.pk])).status_code == 200
    services.submit_pledge(pledge=submitted, by=kz_fp)
    assert list(submitted.versions.values_list("number", "outcome")) == [(1, "recalled"), (2, "pending")]


def test_no_recall_once_the_secretariat_has_commented(client, kz_fp, secretariat, submitted):
    response = as_(client, secretariat).post(reverse("pledges:review", args=[submitted.pk]),
                                             {"action": "comment", "commitment-1": "Name the budget line."})
    assert response.status_code == 302
    version = submitted.versions.get()
    assert version.review_started_at is not None
    html = as_(client, kz_fp).get(reverse("pledges:detail", args=[submitted.pk])).content.decode()
    assert "Recall the submission" not in html
    response = client.post(reverse("pledges:recall", args=[submitted.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("pledges:detail", args=[submitted.pk])
    assert "The secretariat has started reviewing this pledge; it can no longer be recalled." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Pledge.Status.SUBMITTED
    version.refresh_from_db()
    assert version.outcome == PledgeVersion.Outcome.PENDING and version.reviewed_at is None
    assert version.commitment_comments == {"1": "Name the budget line."}


def test_another_countrys_focal_point_cannot_recall(client, fr_fp, submitted):
    assert as_(client, fr_fp).post(reverse("pledges:recall", args=[submitted.pk])).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Pledge.Status.SUBMITTED
    assert submitted.versions.get().outcome == PledgeVersion.Outcome.PENDING


def test_recall_needs_a_post_and_a_signed_in_focal_point(client, submitted, secretariat):
    assert outcome(client.post(reverse("pledges:recall", args=[submitted.pk]))) == "login"
    assert as_(client, secretariat).post(reverse("pledges:recall", args=[submitted.pk])).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Pledge.Status.SUBMITTED


# --- The review -----------------------------------------------------------------------------------------


def test_comments_on_commitments_are_kept_on_the_pending_version(client, secretariat, submitted):
    as_(client, secretariat)
    response = client.post(reverse("pledges:review", args=[submitted.pk]), {
        "action": "comment", "commitment-1": "  Name the budget line.  ", "commitment-2": "",
    }, follow=True)
    assert "Your comments on the commitments were saved." in response.content.decode()
    version = submitted.versions.get()
    assert version.outcome == PledgeVersion.Outcome.PENDING
    assert version.commitment_comments == {"1": "Name the budget line."}
    submitted.refresh_from_db()
    assert submitted.status == Pledge.Status.SUBMITTED
    # Shown again to the reviewer, in the comment box of commitment 1.
    html = client.get(reverse("pledges:detail", args=[submitted.pk])).content.decode()
    assert 'id="commitment-comment-1" rows="2">Name the budget line.</textarea>' in html
    assert 'id="commitment-comment-2" rows="2"></textarea>' in html
    # A second save replaces the comments.
    client.post(reverse("pledges:review", args=[submitted.pk]), {"action": "comment", "commitment-2": "Which ministry?"})
    version.refresh_from_db()
    assert version.commitment_comments == {"2": "Which ministry?"}


def test_acceptance_records_gaps_and_only_the_secretariat_sees_the_checks(client, kz, kz_fp, secretariat):
    from tests.pledges.conftest import COMMITMENTS

    pledge = services.start_pledge(country=kz, by=kz_fp)
    fill(pledge, kz_fp, commitments=[COMMITMENTS[0], dict(COMMITMENTS[1], responsible_institution="")])
    services.submit_pledge(pledge=pledge, by=kz_fp)
    url = reverse("pledges:detail", args=[pledge.pk])

    staff_html = as_(client, secretariat).get(url).content.decode()
    assert "Quality checklist" in staff_html
    assert "names a responsible institution: <strong>not commitment 2</strong>" in staff_html
    assert "SMART score and comments per commitment" in staff_html
    # Commitment 1 meets all five; commitment 2, without an institution, is not achievable.
    assert staff_html.count("<strong>5/5</strong>") == 1 and staff_html.count("<strong>4/5</strong>") == 1
    assert "Achievable: no" in staff_html

    own_html = as_(client, kz_fp).get(url).content.decode()
    assert "Quality checklist" not in own_html and "SMART" not in own_html and "4/5" not in own_html

    response = as_(client, secretariat).post(reverse("pledges:review", args=[pledge.pk]), {"action": "accept"})
    assert response.status_code == 302
    version = pledge.versions.get()
    assert version.outcome == PledgeVersion.Outcome.ACCEPTED
    assert version.gaps == [{"commitment": 2, "check": "institution"}]
    staff_html = client.get(url).content.decode()
    assert "Gaps recorded at acceptance" in staff_html and "Commitment 2 names no responsible institution." in staff_html

    client.post(reverse("pledges:review", args=[pledge.pk]), {"action": "publish"})
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PUBLISHED
    for person in (None, kz_fp):
        html = as_(client, person).get(url).content.decode()
        assert "Register every resident" in html
        assert "Quality checklist" not in html and "SMART" not in html
        assert "Gaps recorded" not in html and "names no responsible institution" not in html


# --- Reporting status over time -------------------------------------------------------------------------


def _noon(day):
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def test_reporting_status_over_time_and_on_the_public_page(client, kz, kz_fp, secretariat, time_machine):
    pledge = publish(kz, kz_fp, secretariat)
    published_on = pledge.published_at.date()
    due = dates.years_after(published_on, 1)
    url = reverse("pledges:detail", args=[pledge.pk])

    def status(day):
        return selectors.reporting_status(Pledge.objects.get(pk=pledge.pk), today=day)

    assert status(published_on) == ReportingStatus.UP_TO_DATE == "up_to_date"
    assert status(due - timedelta(days=31)) == "up_to_date"
    assert status(due - timedelta(days=30)) == "due"
    assert status(due) == "due"
    assert status(due + timedelta(days=1)) == "overdue"
    assert status(dates.years_after(published_on, 2) - timedelta(days=1)) == "overdue"
    assert status(dates.years_after(published_on, 2)) == "inactive"

    for day, label in [
        (published_on, "Reporting up to date"),
        (due - timedelta(days=10), "Report due"),
        (due + timedelta(days=3), "Report overdue"),
        (dates.years_after(published_on, 2) + timedelta(days=1), "Inactive: no report published for two years"),
    ]:
        time_machine.move_to(_noon(day), tick=False)
        html = client.get(url).content.decode()
        assert f'<span class="status status-{status(day)}">{label}</span>' in html, day
        others = {"Reporting up to date", "Report due", "Report overdue",
                  "Inactive: no report published for two years"} - {label}
        assert not [o for o in others if f">{o}</span>" in html]


def test_a_published_report_keeps_the_pledge_active(kz, kz_fp, secretariat, time_machine):
    pledge = publish(kz, kz_fp, secretariat)
    published_on = pledge.published_at.date()
    due = dates.years_after(published_on, 1)
    time_machine.move_to(_noon(due - timedelta(days=5)), tick=False)
    report = report_on(pledge, kz_fp, secretariat, {"Share of residents registered": 70})
    reported_on = report.published_at.date()
    assert reported_on == due - timedelta(days=5)

    def status(day):
        return selectors.reporting_status(Pledge.objects.get(pk=pledge.pk), today=day)

    assert status(reported_on) == "up_to_date"  # the next report falls due a year later
    # Two years after publication, but not after the last report: the next report is due that day.
    assert status(dates.years_after(published_on, 2)) == "due"
    assert status(dates.years_after(published_on, 2) + timedelta(days=1)) == "overdue"
    assert status(dates.years_after(reported_on, 2) - timedelta(days=1)) == "overdue"
    assert status(dates.years_after(reported_on, 2)) == "inactive"


def test_reporting_status_of_unpublished_pledges_is_none(submitted):
    assert selectors.reporting_status(submitted, today=timezone.localdate()) is None


# --- Versions for the focal points --------------------------------------------------------------------


def test_focal_points_see_the_changes_between_versions_of_their_own_pledge(client, kz_fp, fr_fp, secretariat,
                                                                           submitted):
    services.return_pledge(pledge=submitted, by=secretariat, comment="Be bolder.")
    fill(submitted, kz_fp, title="Health for every family, everywhere")
    services.submit_pledge(pledge=submitted, by=kz_fp)
    url = reverse("pledges:changes", args=[submitted.pk])
    response = as_(client, kz_fp).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Title: Health for all families" in html and "Title: Health for every family, everywhere" in html
    assert "<del>" in html
    assert as_(client, fr_fp).get(url).status_code == 404


# --- With the public page cache on ----------------------------------------------------------------------


def test_cached_explorer_and_exports_keep_one_copy_per_filter(client, world, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    url = reverse("pledges:list")
    assert shown(client.get(url).content.decode()) == {"kz1", "kz2", "fr", "gh"}
    assert shown(client.get(url, {"lever": "funding"}).content.decode()) == {"kz1", "gh"}
    assert shown(client.get(url, {"region": "AFR"}).content.decode()) == {"gh"}
    # A parameter the page does not know changes nothing, and fills no new copy.
    assert shown(client.get(url, {"lever": "funding", "utm": "x"}).content.decode()) == {"kz1", "gh"}
    payload = client.get(reverse("pledges:export-json"), {"income": "H"}).json()
    assert {r["commitment_id"] for r in payload["indicators"]} == {world["ids"]["fr"]}
    payload = client.get(reverse("pledges:export-json"), {"income": "LM"}).json()
    assert {r["commitment_id"] for r in payload["indicators"]} == {world["ids"]["gh"]}
    _header, lines = csv_lines(client.get(reverse("pledges:export-csv"), {"status": "achieved"}))
    assert {int(line["commitment_id"]) for line in lines} == {world["ids"]["kz2"]}
