import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests.events.conftest import make_event
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory())
    return client


def test_event_admin_pages_load(admin_client):
    event = make_event(capacity=3)
    services.register(event=event, name="A", email="a@example.org")
    for url in [
        reverse("admin:events_event_changelist"),
        reverse("admin:events_event_changelist") + "?kind=workshop&when=upcoming",
        reverse("admin:events_event_change", args=[event.pk]),
        reverse("admin:events_event_add"),
        reverse("admin:events_registration_changelist"),
        reverse("admin:events_registration_change", args=[event.registrations.get().pk]),
        reverse("admin:events_notification_changelist"),
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_admin_reads_and_shows_times_in_the_events_zone(admin_client):
    response = admin_client.post(reverse("admin:events_event_add"), {
        "original_language": "en", "title_en": "Side event", "kind": "global", "theme": "", "occasion": "wha",
        "description_en": "", "public": "on", "timezone": "Europe/Zurich",
        "starts_at_0": "2030-05-20", "starts_at_1": "12:30", "ends_at_0": "2030-05-20", "ends_at_1": "14:00",
        "venue": "Palais des Nations", "online_url": "", "capacity": "2",
        "registration_opens_at_0": "", "registration_opens_at_1": "",
        "registration_closes_at_0": "", "registration_closes_at_1": "",
        "materials-TOTAL_FORMS": "0", "materials-INITIAL_FORMS": "0",
        "registrations-TOTAL_FORMS": "0", "registrations-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert event.starts_at.isoformat() == "2030-05-20T10:30:00+00:00"
    page = admin_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert re.search(r'name="starts_at_1" value="12:30(:00)?"', page), re.findall(r'name="starts_at_1"[^>]*', page)


def test_admin_capacity_increase_moves_the_waiting_list_up(admin_client):
    event = make_event(capacity=1)
    services.register(event=event, name="A", email="a@example.org")
    waiting = services.register(event=event, name="B", email="b@example.org")
    event.refresh_from_db()
    event.capacity = 2
    from events.admin import EventAdmin

    EventAdmin(Event, None).save_model(None, event, None, True)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_admin_actions_mark_attendance_after_the_event_and_export(admin_client):
    # Soon, so that the staff session is still valid after the event.
    event = make_event(capacity=1, starts_at=timezone.now() + timedelta(hours=2))
    came = services.register(event=event, name="Came", email="came@example.org")
    waiting = services.register(event=event, name="Waiting", email="w@example.org")
    url = reverse("admin:events_registration_changelist")

    response = admin_client.post(url, {"action": "mark_attended", "_selected_action": [came.pk]}, follow=True)
    assert "has not started yet" in response.content.decode()
    came.refresh_from_db()
    assert came.attended is None

    with time_machine.travel(event.ends_at + timedelta(hours=1)):
        admin_client.post(url, {"action": "mark_attended", "_selected_action": [came.pk]})
        came.refresh_from_db()
        assert came.attended is True
        response = admin_client.post(url, {"action": "mark_absent", "_selected_action": [waiting.pk]}, follow=True)
        assert "confirmed registrations only" in response.content.decode()

    response = admin_client.post(reverse("admin:events_event_changelist"),
                                 {"action": "export_attendees", "_selected_action": [event.pk]})
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "came@example.org" in body and "w@example.org" in body


def test_admin_cancel_action_goes_through_the_service(admin_client):
    event = make_event(capacity=1)
    first = services.register(event=event, name="A", email="a@example.org")
    waiting = services.register(event=event, name="B", email="b@example.org")
    admin_client.post(reverse("admin:events_registration_changelist"),
                      {"action": "cancel_registrations", "_selected_action": [first.pk]})
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"
    assert Registration.objects.get(pk=first.pk).status == "cancelled"


def test_non_staff_cannot_reach_the_events_admin(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:events_event_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_time_zone_picker_offers_places_grouped_by_region_without_deprecated_aliases(admin_client):
    page = admin_client.get(reverse("admin:events_event_add")).content.decode()
    assert '<optgroup label="Europe">' in page and '<option value="Europe/Zurich"' in page
    assert '<option value="Asia/Almaty"' in page and '<option value="UTC"' in page
    assert "Africa/Asmera" not in page and "Asia/Calcutta" not in page
    names = re.findall(r'<option value="([A-Za-z_/+-]+)"', page.split('name="timezone"', 1)[1].split("</select>", 1)[0])
    assert 300 < len(names) < 500


def test_an_event_in_an_old_alias_keeps_its_zone_in_the_picker(admin_client):
    from tests.events.conftest import make_event

    event = make_event(timezone="Asia/Calcutta")
    page = admin_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert '<option value="Asia/Calcutta" selected>' in page
