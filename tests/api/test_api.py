"""The public API's answers: what each endpoint says, its filters, pages, languages, ETags, CORS and limits."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalition import versioning
from tests.api.conftest import SECRETS, grow
from tests.factories import StaffFactory

LISTS = ["countries", "memberships", "core-group", "champions", "pledges", "commitments", "events", "announcements",
         "library"]
# Keys that would carry what only the Secretariat or a country's focal points may see.
PRIVATE_KEYS = {"email", "contact_name", "contact_email", "contact_phone", "letter", "online_url", "recipients",
                "recipient_count", "audiences", "members_only", "focal_points", "review_comment", "note",
                "reference", "document"}


def get(client, path, **params):
    headers = {k: params.pop(k) for k in list(params) if k.isupper()}
    response = client.get(f"/api/v1/{path}", params, **headers)
    return response


def data(client, path, **params):
    response = get(client, path, **params)
    assert response.status_code == 200, response.content
    return response.json()


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _everything(client):
    answers = {path: data(client, f"{path}/", page_size=100) for path in LISTS}
    answers["countries?status=all"] = data(client, "countries/", page_size=100, page=2)
    answers["memberships?status=all"] = data(client, "memberships/", status="all", page_size=100)
    answers["events?when=all"] = data(client, "events/", when="all", page_size=100)
    answers["country"] = data(client, "countries/KAZ/")
    answers["indicators"] = data(client, "indicators/")
    answers["index"] = data(client, "")
    return answers


@pytest.mark.parametrize("who", ["anonymous", "focal_point", "secretariat"])
def test_nothing_private_comes_out_whoever_asks(client, world, who):
    from pledges.models import FocalPoint

    if who == "focal_point":
        client.force_login(FocalPoint.objects.get(country=world.kz).user)
    elif who == "secretariat":
        user = StaffFactory()
        client.force_login(user)
    answers = _everything(client)
    text = json.dumps(answers, ensure_ascii=False)
    assert [secret for secret in SECRETS if secret in text] == []
    assert set(_keys(answers)) & PRIVATE_KEYS == set()
    # What the public sees is there (the test would pass on empty answers otherwise).
    assert "WHA side event" in text and "Coalition news" in text and "Primary care in practice" in text
    assert "Health for all families" in text and "H.E. Example" in text


def test_a_signed_in_person_gets_exactly_the_public_answer(client, world):
    public = _everything(client)
    client.force_login(StaffFactory())
    assert _everything(client) == public


def test_memberships_are_the_directory(client, world):
    rows = data(client, "memberships/")["results"]
    assert [r["country"]["iso3"] for r in rows] == ["FRA", "KAZ"]
    kz = rows[1]
    assert kz["status"] == "current" and kz["core_group"] is True and kz["pledge_status"] == "draft"
    assert kz["current_term"]["number"] == 1 and kz["ends_on"] is None
    fr = rows[0]
    # France gave notice today: its membership ends with its term.
    assert fr["pledge_status"] == "published" and fr["ends_on"] == fr["current_term"]["end"]
    former = data(client, "memberships/", status="former")["results"]
    assert [(r["country"]["iso3"], r["status"], r["current_term"]) for r in former] == [("DEU", "former", None)]
    assert former[0]["ends_on"] is not None
    by_accession = data(client, "memberships/", status="all", sort="accession")["results"]
    assert [r["country"]["iso3"] for r in by_accession] == ["DEU", "FRA", "KAZ"]
    assert data(client, "memberships/", region="AFR")["count"] == 0
    assert data(client, "memberships/", core_group="yes")["count"] == 1
    assert data(client, "memberships/", pledge="published")["results"][0]["country"]["iso3"] == "FRA"
    assert data(client, "memberships/", q="kazak")["results"][0]["country"]["iso3"] == "KAZ"
    year = data(client, "memberships/")["results"][0]["member_since"][:4]
    assert data(client, "memberships/", year=year)["count"] == 2
    assert data(client, "memberships/", year=1999)["count"] == 0


def test_countries_with_reference_data_and_membership(client, world):
    body = data(client, "countries/", page_size=100)
    assert body["count"] == 194 and len(body["results"]) == 100 and body["next"].endswith("page_size=100&page=2")
    assert body["previous"] is None
    last = data(client, "countries/", page_size=100, page=2)
    assert len(last["results"]) == 94 and last["next"] is None and "page=1" in last["previous"]
    assert data(client, "countries/", page=3, page_size=100)["results"] == []
    statuses = {c["iso3"]: c["membership_status"] for page in (body, last) for c in page["results"]}
    assert statuses["KAZ"] == "current" and statuses["DEU"] == "former" and statuses["USA"] == "never"
    assert {c["iso3"] for c in data(client, "countries/", status="current")["results"]} == {"KAZ", "FRA"}
    europe = data(client, "countries/", region="EUR", income="H", page_size=100)["results"]
    assert europe and all(c["who_region"] == "EUR" and c["income_group"] == "H" for c in europe)
    kaz = data(client, "countries/kaz/")
    assert kaz["name"] == "Kazakhstan" and kaz["url"].endswith("/en/countries/kaz/")
    assert data(client, "countries/KAZ/", lang="ru")["name"] == "Казахстан"
    missing = get(client, "countries/XXX/")
    assert missing.status_code == 404 and "detail" in missing.json()


def test_core_group_and_champions(client, world):
    seats = data(client, "core-group/")["results"]
    # Kazakhstan, host of the Secretariat, holds a permanent seat.
    assert [(s["country"]["iso3"], s["permanent"], s["end"]) for s in seats] == [("KAZ", True, None)]
    assert data(client, "core-group/", region="AFR")["count"] == 0
    champion = data(client, "champions/", lang="fr")["results"][0]
    assert champion["title"] == {"text": "Ministre de la Santé", "language": "fr"}
    assert champion["commitment"]["end"] > champion["commitment"]["start"] and champion["photo_url"] is None
    # No Russian title: the original (English) one, saying so.
    assert data(client, "champions/", lang="ru")["results"][0]["title"] == {"text": "Minister of Health",
                                                                            "language": "en"}


def test_published_pledges_with_their_monitoring(client, world):
    body = data(client, "pledges/")
    assert body["count"] == 1
    pledge = body["results"][0]
    assert pledge["country"]["iso3"] == "FRA" and pledge["title"] == "Health for all families"
    first = pledge["commitments"][0]
    indicator = first["indicators"][0]
    # 60 → 95, 75 reported this year: 15 of 35, 42.9 % of the way.
    assert indicator["baseline_value"] == "60" and indicator["target_value"] == "95"
    assert indicator["latest_value"] == "75" and indicator["percent_of_way"] == "42.9"
    assert indicator["series"] == [{"year": indicator["latest_year"], "value": "75"}]
    assert indicator["status"] in ("on_track", "off_track", "achieved") and first["status"] == indicator["status"]
    assert data(client, "pledges/", lever="funding")["count"] == 1
    assert data(client, "pledges/", lever="digital")["count"] == 0
    assert data(client, "pledges/", status=first["status"])["count"] == 1
    assert data(client, "pledges/", region="AFR")["count"] == 0
    assert data(client, "pledges/", country="fra")["count"] == 1
    assert data(client, "pledges/", year=2001)["count"] == 0


def test_commitments_filtered_as_the_explorer(client, world):
    all_ = data(client, "commitments/")
    assert all_["count"] == 2
    funding = data(client, "commitments/", lever="funding")["results"]
    assert [c["levers"] for c in funding] == [["funding"]]
    assert data(client, "commitments/", q="resident")["count"] == 1
    assert data(client, "commitments/", component="multisectoral")["count"] == 1
    assert data(client, "commitments/", income="L")["count"] == 0


def test_public_events_only(client, world):
    upcoming = data(client, "events/")["results"]
    assert [e["title"]["text"] for e in upcoming] == ["WHA side event"]
    event = upcoming[0]
    assert event["online"] is True and event["capacity"] == 50 and event["places_left"] == 50
    assert event["registration"] == "open" and event["url"].endswith(f"/en/events/{world.open_event.pk}/")
    assert [e["title"]["text"] for e in data(client, "events/", when="past")["results"]] == ["Webinar on PHC financing"]
    assert data(client, "events/", when="all")["count"] == 2
    assert data(client, "events/", kind="webinar", when="all")["count"] == 1
    assert get(client, "events/", kind="core_group").status_code == 422


def test_announcements_sent_and_public_in_the_readers_language(client, world):
    body = data(client, "announcements/")
    assert [a["title"]["text"] for a in body["results"]] == ["Coalition news"]
    french = data(client, "announcements/", HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9, en;q=0.8")["results"][0]
    assert french["title"] == {"text": "Nouvelles", "language": "fr"} and "/fr/news/" in french["url"]
    # ?lang= wins over the header.
    assert data(client, "announcements/", lang="en", HTTP_ACCEPT_LANGUAGE="fr")["results"][0]["title"]["language"] == "en"
    assert data(client, "announcements/", year=2001)["count"] == 0


def test_public_library_resources(client, world):
    rows = data(client, "library/")["results"]
    assert [r["title"]["text"] for r in rows] == ["Primary care in practice"]
    assert rows[0]["countries"] == [{"iso3": "KAZ", "name": "Kazakhstan"}] and rows[0]["link"]
    assert data(client, "library/", country="kaz")["count"] == 1
    assert data(client, "library/", country="FRA")["count"] == 0
    assert data(client, "library/", lever="workforce", kind="link")["count"] == 1
    assert data(client, "library/", kind="document")["count"] == 0
    assert data(client, "library/", year=2025, language="en")["count"] == 1


def test_coalition_indicators(client, world):
    body = data(client, "indicators/", lang="fr")
    europe = next(r for r in body["members_by_region"] if r["code"] == "EUR")
    assert europe["count"] == 2 and europe["label"] == "Région européenne"
    assert body["pledge_coverage"] == {"members": 2, "published": 1, "share": 50}
    funding = next(r for r in body["commitments_by_lever"] if r["code"] == "funding")
    assert funding["count"] == 1
    assert [row["year"] for row in body["members_over_time"]][-1] == int(body["on"][:4])


def test_bad_parameters_are_refused_with_a_reason(client, world):
    for path, params in [("countries/", {"page": 0}), ("countries/", {"page_size": 1000}),
                         ("countries/", {"lang": "de"}), ("memberships/", {"status": "everyone"}),
                         ("memberships/", {"year": "soon"}), ("commitments/", {"standard": "NOT_A_CODE"})]:
        response = get(client, path, **params)
        assert response.status_code == 422, (path, params)
        assert "detail" in response.json()


def test_language_from_the_parameter_then_the_header_never_the_cookie(client, world):
    client.cookies["django_language"] = "fr"
    response = get(client, "countries/KAZ/")
    assert response.json()["name"] == "Kazakhstan" and response["Content-Language"] == "en"
    response = get(client, "countries/KAZ/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response["Content-Language"] == "zh-hans" and response.json()["name"] == "哈萨克斯坦"
    assert "Accept-Language" in response["Vary"]
    assert get(client, "countries/KAZ/", lang="ar")["Content-Language"] == "ar"


def test_an_unchanged_answer_is_304_until_the_data_changes(client, world, django_capture_on_commit_callbacks):
    from tests.library.conftest import make_resource

    first = get(client, "library/")
    etag = first["ETag"]
    assert etag.startswith('"') and "public" in first["Cache-Control"]
    again = get(client, "library/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"
    assert get(client, "library/", lang="fr")["ETag"] != etag
    assert get(client, "library/", region="EUR")["ETag"] != etag
    before = versioning.current()
    with django_capture_on_commit_callbacks(execute=True):
        make_resource(title="A new guide")
    assert versioning.current() > before
    changed = get(client, "library/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["results"][0]["title"]["text"] == "A new guide"
    # Refusals carry no ETag to come back with.
    assert not get(client, "countries/XXX/").has_header("ETag")


def test_head_answers_like_get_without_a_body(client, world):
    response = client.head("/api/v1/countries/")
    assert response.status_code == 200 and response.content == b"" and response.has_header("ETag")


def test_any_origin_may_read_and_nothing_may_write(client, world):
    response = get(client, "countries/", HTTP_ORIGIN="https://example.net")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert not response.has_header("Access-Control-Allow-Credentials")
    preflight = client.options("/api/v1/countries/", HTTP_ORIGIN="https://example.net",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                               HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match")
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert not preflight.has_header("Access-Control-Allow-Credentials")
    for method in (client.post, client.put, client.patch, client.delete):
        refused = method("/api/v1/countries/")
        assert refused.status_code == 405 and "GET" in refused["Allow"]
        assert refused["Access-Control-Allow-Origin"] == "*"


def test_too_many_requests_from_one_address_get_429_with_retry_after(client, world, settings):
    settings.API_RATE_PER_IP = "3/m"
    for _ in range(3):
        assert get(client, "countries/", REMOTE_ADDR="203.0.113.9").status_code == 200
    refused = client.get("/api/v1/countries/", REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429 and refused["Access-Control-Allow-Origin"] == "*"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["retry_after"] == int(refused["Retry-After"])
    assert refused["X-RateLimit-Remaining"] == "0"
    # Another address is not held back.
    assert client.get("/api/v1/countries/", REMOTE_ADDR="203.0.113.10").status_code == 200


ENDPOINTS = [f"{path}/" for path in LISTS] + ["indicators/", "countries/KAZ/"]


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert get(client, path, page_size=2).status_code == 200
    return len(queries)


def test_a_page_costs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    before = {path: _queries(client, path) for path in ENDPOINTS}
    grow(3)
    after = {path: _queries(client, path) for path in ENDPOINTS}
    assert after == before
    # And few: the pledges (the most nested) are a count, the page, commitments, indicators and values.
    with django_assert_max_num_queries(6):
        get(client, "pledges/", page_size=2)
    # A full page of pledges too.
    assert _queries(client, "pledges/") == before["pledges/"]


def test_the_documentation_page_loads_nothing_from_elsewhere(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'(?:src|href)="(?:https?:)?//', html) == []
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui.css" in html
    assert '"validatorUrl": null' in html and "/api/v1/openapi.json" in html
    # Each endpoint is listed in the page itself, for readers without JavaScript.
    assert "GET /api/v1/memberships/" in html and "GET /api/v1/library/" in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    french = client.get("/api/v1/docs/", {"lang": "fr"}).content.decode()
    assert '<html lang="fr"' in french and 'href="/api/v1/docs/?lang=ar"' in french
