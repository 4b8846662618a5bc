"""Times are printed with their zone: event times in the event's, moments (registered at…) in the site's."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from coalition import mail as outbox
from coalition import moments
from events import services
from events.models import Kind
from tests.events.conftest import make_event
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

# A winter evening in Geneva: 18:37 UTC is 19:37 CET.
REGISTERED = datetime(2030, 1, 15, 18, 37, tzinfo=UTC)


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def registration(db, django_capture_on_commit_callbacks):
    event = make_event(title="Winter workshop", kind=Kind.GLOBAL, public=True, timezone="Europe/Zurich",
                       starts_at=datetime(2030, 2, 10, 9, 0, tzinfo=UTC), venue="Geneva", online_url="")
    with time_machine.travel(REGISTERED, tick=False), django_capture_on_commit_callbacks(execute=True):
        return services.register(event=event, name="Ana", email="ana@example.org")


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_one_registration_shows_one_time_with_its_zone_in_the_admin_list_and_on_the_events_page(
        staff_client, registration):
    listed = _text(staff_client.get(reverse("admin:events_registration_changelist")))
    on_event = _text(staff_client.get(reverse("admin:events_event_change", args=[registration.event.pk])))
    own = _text(staff_client.get(reverse("admin:events_registration_change", args=[registration.pk])))

    for page in (listed, on_event, own):
        assert "15 Jan 2030, 18:37 UTC" in page
    # The event's page is in the event's zone for its own times, not for when people registered.
    assert "19:37" not in on_event


def test_the_event_page_gives_registration_opening_and_closing_in_the_events_zone_with_the_zone(client):
    event = make_event(title="Side event", kind=Kind.GLOBAL, timezone="Europe/Zurich", venue="Geneva",
                       starts_at=datetime(2030, 6, 10, 9, 0, tzinfo=UTC),
                       registration_opens_at=datetime(2030, 5, 1, 7, 0, tzinfo=UTC),
                       registration_closes_at=datetime(2030, 6, 1, 16, 0, tzinfo=UTC))

    page = _text(client.get(reverse("events:detail", args=[event.pk])))

    assert "opens 1 May 2030, 09:00 CEST" in page
    assert "closes 1 Jun 2030, 18:00 CEST" in page


def test_the_confirmation_gives_the_events_times_with_the_zone(registration):
    outbox.deliver_due()
    body = mail.outbox[-1].body
    expected = "From 10 Feb 2030, 10:00 CET to 10 Feb 2030, 12:00 CET (Europe/Zurich time)"
    assert expected in " ".join(body.split())


def test_the_event_form_says_the_times_are_in_the_events_zone_instead_of_the_browsers_offset(staff_client):
    event = make_event(title="Almaty workshop", kind=Kind.WORKSHOP, theme="governance",
                       timezone="Asia/Almaty")

    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    new = staff_client.get(reverse("admin:events_event_add")).content.decode()

    # The admin's script adds its "You are N hours behind server time" only where no .timezonewarning is.
    notes = re.findall(r'<p class="datetime">.*?<span class="help timezonewarning">([^<]*)</span>\s*</p>',
                       page, re.DOTALL)
    assert notes == ["In the event&#x27;s time zone: Asia/Almaty."] * 4
    note = '<span class="help timezonewarning">In the event&#x27;s time zone, chosen above.</span>'
    assert new.count(note) == 4


@pytest.mark.parametrize(("zone", "when", "label"), [
    ("Europe/Zurich", datetime(2030, 1, 15, 12, tzinfo=UTC), "CET"),
    ("Europe/Zurich", datetime(2030, 7, 15, 12, tzinfo=UTC), "CEST"),
    ("Asia/Almaty", datetime(2030, 7, 15, 12, tzinfo=UTC), "UTC+05"),
    ("Asia/Kolkata", datetime(2030, 7, 15, 12, tzinfo=UTC), "IST"),
    ("Asia/Kathmandu", datetime(2030, 7, 15, 12, tzinfo=UTC), "UTC+05:45"),
    ("America/St_Johns", datetime(2030, 1, 15, 12, tzinfo=UTC), "NST"),
    ("America/Sao_Paulo", datetime(2030, 1, 15, 12, tzinfo=UTC), "UTC−03"),
    ("UTC", datetime(2030, 1, 15, 12, tzinfo=UTC), "UTC"),
])
def test_every_zone_has_a_label(zone, when, label):
    assert moments.zone_label(when.astimezone(ZoneInfo(zone))) == label


def test_moments_are_in_the_sites_zone_whatever_zone_is_active(settings):
    from django.utils import timezone

    with timezone.override(ZoneInfo("Asia/Tokyo")):
        assert moments.moment(REGISTERED) == "15 Jan 2030, 18:37 UTC"
    assert moments.moment(None) == ""
    assert moments.in_zone(REGISTERED, ZoneInfo("Asia/Tokyo")) == "16 Jan 2030, 03:37 JST"
