"""Conditional GET on public pages: a returning visitor downloads nothing until the data or the day changes."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from coalition import versioning
from members import services as member_services
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_an_unchanged_page_answers_304_without_a_body(client):
    member("KZ")
    first = client.get("/en/members/")
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = client.get("/en/members/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert "public" in again["Cache-Control"]
    # The compressed page's weak ETag matches as well.
    assert client.get("/en/members/", HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    # Another page, language or filter has its own ETag.
    assert client.get("/ru/members/")["ETag"] != etag
    assert client.get("/en/members/", {"region": "EUR"})["ETag"] != etag


def test_a_change_to_the_data_changes_the_etag(client, django_capture_on_commit_callbacks):
    kz = member("KZ")
    etag = client.get("/en/countries/kaz/")["ETag"]
    before = versioning.current()
    with django_capture_on_commit_callbacks(execute=True):
        member_services.give_notice(membership=kz, received_on=timezone.localdate(), by=None)
    assert versioning.current() > before
    response = client.get("/en/countries/kaz/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Written notice received" in response.content.decode()
    assert response["ETag"] != etag


def test_the_next_day_the_page_is_rendered_again(client, time_machine):
    member("KZ")
    etag = client.get("/en/members/")["ETag"]
    time_machine.move_to(timezone.now() + timedelta(days=1))
    assert client.get("/en/members/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_signed_in_pages_and_pending_messages_are_always_answered_in_full(client):
    member("KZ")
    etag = client.get("/en/members/")["ETag"]
    client.cookies["messages"] = "something"
    assert client.get("/en/members/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    del client.cookies["messages"]
    client.force_login(UserFactory())
    response = client.get("/en/members/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and not response.has_header("ETag")


@pytest.mark.parametrize("path", ["/en/", "/en/champions/", "/en/core-group/decisions/", "/en/work-plan/",
                                  "/en/news/", "/en/events/", "/en/events/?when=past"])
def test_every_public_list_answers_304_while_nothing_changes(client, path):
    member("KZ")
    etag = client.get(path)["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_events_list_is_answered_anew_once_an_event_has_ended(client, time_machine):
    from events import services as event_services

    time_machine.move_to(datetime(2026, 12, 7, 6, 0, tzinfo=UTC), tick=False)  # morning, wherever the site is
    start = timezone.now() + timedelta(minutes=10)
    event_services.create_event(title="Webinar on PHC financing", kind="webinar", starts_at=start,
                                ends_at=start + timedelta(hours=1), timezone="UTC", online_url="https://example.org/w")
    etag = client.get("/en/events/")["ETag"]
    assert client.get("/en/events/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    time_machine.shift(timedelta(hours=2))  # the same day, the webinar over
    response = client.get("/en/events/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Webinar on PHC financing" not in response.content.decode()
