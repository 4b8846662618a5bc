from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events import services
from events.models import Kind, Occasion, Registration, Theme
from members.models import Country

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _events():
    year = timezone.now().year + 1
    wha = services.create_event(
        title="PHC Coalition side event at the World Health Assembly", kind=Kind.GLOBAL, occasion=Occasion.WHA,
        starts_at=datetime(year, 5, 20, 12, 30), ends_at=datetime(year, 5, 20, 14, 0), timezone="Europe/Zurich",
        capacity=80, venue="Palais des Nations, Room XXIII, Geneva",
        description="Ministers of Coalition members present how primary health care is reshaping their health systems.",
    )
    services.create_event(
        title="Workshop: resourcing primary health care", kind=Kind.WORKSHOP, theme=Theme.RESOURCING,
        starts_at=timezone.now().replace(second=0, microsecond=0) + timedelta(days=20),
        ends_at=timezone.now().replace(second=0, microsecond=0) + timedelta(days=20, hours=2),
        timezone="Asia/Almaty", capacity=1, online_url="https://meet.example.org/phc-resourcing",
    )
    services.create_event(
        title="Core Group annual meeting in Astana", kind=Kind.CORE_GROUP, venue="Astana",
        starts_at=datetime(year, 12, 3, 10, 0), ends_at=datetime(year, 12, 4, 16, 0), timezone="Asia/Almaty",
    )
    past = services.create_event(
        title="Webinar: community engagement", kind=Kind.WEBINAR, theme=Theme.ENGAGEMENT,
        starts_at=timezone.now() - timedelta(days=40), ends_at=timezone.now() - timedelta(days=40) + timedelta(hours=1),
        timezone="America/New_York", online_url="https://meet.example.org/x",
    )
    return wha, past


def test_event_list_and_detail_with_public_registration(live_server, page, screenshot_dir):
    wha, past = _events()

    page.goto(live_server.url + "/en/events/")
    assert page.locator("h1").inner_text() == "Events"
    titles = page.locator(".event-item h3").all_inner_texts()
    assert titles == ["Workshop: resourcing primary health care", "PHC Coalition side event at the World Health Assembly"]
    assert "Core Group annual meeting in Astana" not in page.content()
    # The browser's zone is shown beside the event's (the script fills it in).
    assert page.locator(".visitor-time:visible").count() == 2
    page.screenshot(path=screenshot_dir / "events-list.png", full_page=True)

    page.select_option("#id_kind", "workshop")
    page.click(".event-filter button")
    assert page.locator(".event-item h3").all_inner_texts() == ["Workshop: resourcing primary health care"]
    page.click("text=Past")
    assert page.locator(".event-item h3").all_inner_texts() == []
    page.goto(live_server.url + "/en/events/?when=past")
    assert page.locator(".event-item h3").all_inner_texts() == ["Webinar: community engagement"]

    page.goto(live_server.url + f"/en/events/{wha.pk}/")
    assert "12:30" in page.locator(".event-when").first.inner_text()
    page.fill("#id_reg-name", "Aigerim Sadykova")
    page.fill("#id_reg-email", "aigerim@example")
    page.fill("#id_reg-organisation", "Ministry of Health")
    page.select_option("#id_reg-country", label="Kazakhstan")
    page.click(".registration-form button[type=submit]")
    # Input is kept after an error.
    assert page.locator("#id_reg-name").input_value() == "Aigerim Sadykova"
    assert page.locator("#id_reg-organisation").input_value() == "Ministry of Health"
    page.fill("#id_reg-email", "aigerim@example.org")
    page.click(".registration-form button[type=submit]")
    assert "is registered" in page.locator(".messages").inner_text()
    page.screenshot(path=screenshot_dir / "events-detail.png", full_page=True)
    registration = Registration.objects.get()
    assert registration.country == Country.objects.get(iso2="KZ") and registration.status == "confirmed"
    assert [m.to for m in mail.outbox] == [["aigerim@example.org"]]


def test_registration_without_javascript(live_server, browser, screenshot_dir):
    _events()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 420, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/en/events/")
    page.click("text=Workshop: resourcing primary health care")
    # Without the script the UTC time stands in for the visitor's own.
    assert page.locator(".utc-time").first.is_visible()
    page.fill("#id_reg-name", "First Person")
    page.fill("#id_reg-email", "first@example.org")
    page.click(".registration-form button[type=submit]")
    assert "Join the waiting list" in page.content()
    page.fill("#id_reg-name", "Second Person")
    page.fill("#id_reg-email", "second@example.org")
    page.click(".registration-form button[type=submit]")
    assert "waiting list" in page.locator(".messages").inner_text()
    page.screenshot(path=screenshot_dir / "events-detail-mobile-nojs.png", full_page=True)
    context.close()
    assert list(Registration.objects.order_by("pk").values_list("status", flat=True)) == ["confirmed", "waitlisted"]
