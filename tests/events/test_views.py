from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coalition import mail as outbox
from events import notifications, services, tokens
from events.models import Kind, Registration, Theme
from tests.events.conftest import make_event
from tests.factories import StaffFactory, UserFactory
from tests.outcomes import outcome

pytestmark = pytest.mark.django_db


def _form(**values):
    data = {"reg-name": "Aigerim Sadykova", "reg-email": "aigerim@example.org", "reg-organisation": "MoH",
            "reg-country": ""}
    data.update({f"reg-{k}": v for k, v in values.items()})
    return data


def test_urls_keep_the_contract():
    assert reverse("events:list") == "/en/events/"
    assert reverse("events:detail", args=[7]) == "/en/events/7/"
    assert reverse("event_feeds:feed") == "/events/feed.ics"
    assert reverse("event_feeds:event", args=[7]) == "/events/7/event.ics"


def test_list_filters_by_kind_and_theme_and_splits_upcoming_from_past(client):
    make_event(title="Governance workshop", kind=Kind.WORKSHOP, theme=Theme.GOVERNANCE)
    make_event(title="Resourcing workshop", kind=Kind.WORKSHOP, theme=Theme.RESOURCING)
    make_event(title="Assembly side event", kind=Kind.GLOBAL)
    make_event(title="Last year's webinar", starts_at=timezone.now() - timedelta(days=365))

    def titles(query):
        response = client.get("/en/events/" + query)
        assert response.status_code == 200
        return [e.title for e in response.context["page"].object_list]

    assert titles("") == ["Governance workshop", "Resourcing workshop", "Assembly side event"]
    assert titles("?kind=workshop") == ["Governance workshop", "Resourcing workshop"]
    assert titles("?kind=workshop&theme=resourcing") == ["Resourcing workshop"]
    assert titles("?when=past") == ["Last year's webinar"]
    assert titles("?when=past&kind=global") == []
    assert titles("?kind=nonsense") == ["Governance workshop", "Resourcing workshop", "Assembly side event"]


def test_list_and_detail_query_counts_do_not_grow_with_events(client, django_assert_max_num_queries, kz):
    for n in range(25):
        event = make_event(title=f"Event {n}", capacity=10)
        services.register(event=event, name="A", email="a@example.org", country=kz)
    with django_assert_max_num_queries(4):
        response = client.get("/en/events/")
    assert len(response.context["page"].object_list) == 20
    with django_assert_max_num_queries(6):
        client.get(f"/en/events/{event.pk}/")


def test_public_registration_confirms_and_emails_a_cancel_link(client, kz, django_capture_on_commit_callbacks):
    event = make_event(capacity=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/events/{event.pk}/", _form(country=kz.pk), follow=True)
    assert response.redirect_chain[-1][0] == f"/en/events/{event.pk}/"
    assert "is registered" in response.content.decode()
    registration = Registration.objects.get()
    assert (registration.name, registration.organisation, registration.country, registration.registered_by) == (
        "Aigerim Sadykova", "MoH", kz, None)
    (message,) = mail.outbox
    assert message.to == ["aigerim@example.org"]
    assert "/en/events/registration/" in message.body


def test_public_form_keeps_the_input_on_error(client):
    event = make_event()
    response = client.post(f"/en/events/{event.pk}/", _form(email="not-an-address"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Aigerim Sadykova"' in page and 'value="not-an-address"' in page and 'value="MoH"' in page
    services.register(event=event, name="Someone", email="taken@example.org")
    response = client.post(f"/en/events/{event.pk}/", _form(email="taken@example.org"))
    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    assert 'value="taken@example.org"' in response.content.decode()
    assert Registration.objects.count() == 1


def test_full_event_puts_people_on_the_waiting_list(client):
    event = make_event(capacity=1)
    services.register(event=event, name="First", email="first@example.org")
    page = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "Join the waiting list" in page
    response = client.post(f"/en/events/{event.pk}/", _form(), follow=True)
    assert "on the waiting list" in response.content.decode()
    assert Registration.objects.get(email="aigerim@example.org").status == "waitlisted"


def test_registration_form_hidden_before_opening(client):
    event = make_event(registration_opens_at=timezone.now() + timedelta(days=3))
    page = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "Registration opens on" in page and 'name="reg-email"' not in page


def test_signed_link_shows_the_registration_and_cancels_only_on_post(client, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    mine = services.register(event=event, name="Mine", email="mine@example.org")
    waiting = services.register(event=event, name="Next", email="next@example.org")
    outbox.deliver_due()
    mail.outbox.clear()
    url = notifications.registration_url(mine).removeprefix("http://127.0.0.1:8000")

    page = client.get(url)
    assert page.status_code == 200 and "secret-room" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    mine.refresh_from_db()
    assert mine.status == "confirmed"  # opening the link changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Your registration is cancelled" in response.content.decode()
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == ("cancelled", "confirmed")
    assert sorted(m.to[0] for m in mail.outbox) == ["mine@example.org", "next@example.org"]
    response = client.post(url, follow=True)
    assert "already cancelled" in response.content.decode()


def test_waitlisted_registrant_sees_no_online_link(client):
    event = make_event(capacity=1)
    services.register(event=event, name="First", email="first@example.org")
    waiting = services.register(event=event, name="Next", email="next@example.org")
    page = client.get(f"/en/events/registration/{tokens.make(waiting)}/").content.decode()
    assert "position 1 on the waiting list" in page and "secret-room" not in page


def test_tampered_or_foreign_tokens_are_not_found(client):
    event = make_event()
    registration = services.register(event=event, name="A", email="a@example.org")
    token = tokens.make(registration)
    assert client.get(f"/en/events/registration/{token}x/").status_code == 404
    assert client.post(f"/en/events/registration/{token[:-2]}/").status_code == 404
    from django.core import signing

    other_salt = signing.dumps(registration.pk, salt="something-else")
    assert client.get(f"/en/events/registration/{other_salt}/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_online_link_only_for_confirmed_registrants_and_staff(client, user):
    event = make_event()
    assert "secret-room" not in client.get(f"/en/events/{event.pk}/").content.decode()
    client.force_login(user)
    assert "secret-room" not in client.get(f"/en/events/{event.pk}/").content.decode()
    services.register(event=event, name="Me", email=user.email)
    assert "secret-room" in client.get(f"/en/events/{event.pk}/").content.decode()
    client.force_login(StaffFactory())
    assert "secret-room" in client.get(f"/en/events/{event.pk}/").content.decode()


def test_focal_point_registers_self_and_a_delegate_and_cancels_own_countrys(client, focal_points, kz, fr):
    event = make_event(public=False)
    focal = UserFactory(full_name="Focal Point")
    focal_points[focal] = [kz]
    client.force_login(focal)
    page = client.get(f"/en/events/{event.pk}/").content.decode()
    assert f'value="{focal.email}"' in page and "Delegate of" in page and "France" not in page

    assert client.post(f"/en/events/{event.pk}/", _form(name="Focal Point", email=focal.email, country=kz.pk)).status_code == 302
    assert client.post(f"/en/events/{event.pk}/", _form(name="Delegate", email="d@kz.example.org", country=kz.pk)).status_code == 302
    response = client.post(f"/en/events/{event.pk}/", _form(name="Spy", email="s@fr.example.org", country=fr.pk))
    assert response.status_code == 400
    assert set(Registration.objects.values_list("email", "country__iso2", "registered_by")) == {
        (focal.email, "KZ", focal.pk), ("d@kz.example.org", "KZ", focal.pk)}

    delegate = Registration.objects.get(email="d@kz.example.org")
    foreign = services.register(event=event, name="French", email="f@fr.example.org", country=fr, by=StaffFactory())
    assert client.post(reverse("events:cancel-registration", args=[event.pk, foreign.pk])).status_code == 404
    assert client.post(reverse("events:cancel-registration", args=[event.pk, delegate.pk])).status_code == 302
    delegate.refresh_from_db()
    foreign.refresh_from_db()
    assert (delegate.status, foreign.status) == ("cancelled", "confirmed")


def test_anonymous_cannot_cancel_through_the_focal_point_route(client):
    event = make_event()
    registration = services.register(event=event, name="A", email="a@example.org")
    assert outcome(client.post(reverse("events:cancel-registration", args=[event.pk, registration.pk]))) == "login"
    assert client.get(reverse("events:cancel-registration", args=[event.pk, registration.pk])).status_code == 405


def test_attendee_csv_for_staff_only(client, user, kz):
    event = make_event(capacity=1)
    services.register(event=event, name="=HYPERLINK(1)", email="a@example.org", country=kz, organisation="MoH")
    services.register(event=event, name="Waiting", email="w@example.org")
    url = reverse("events:attendees-csv", args=[event.pk])
    assert outcome(client.get(url)) == "login"
    client.force_login(user)
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory())
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Event,")
    assert "'=HYPERLINK(1)" in rows[1] and "KAZ" in rows[1] and "Confirmed" in rows[1]
    assert "On the waiting list" in rows[2]


def test_materials_follow_the_events_visibility(client, user):
    event = make_event(kind=Kind.CORE_GROUP)
    material = services.add_material(event=event, kind="agenda", title="Agenda",
                                     file=SimpleUploadedFile("agenda.pdf", b"%PDF-1.4 agenda"))
    url = reverse("events:material", args=[event.pk, material.pk])
    assert outcome(client.get(url)) == "login"
    client.force_login(user)
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory())
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 agenda"
    assert "Agenda" in client.get(f"/en/events/{event.pk}/").content.decode()


def test_past_event_offers_no_registration(client):
    event = make_event()
    with time_machine.travel(event.ends_at + timedelta(days=1)):
        page = client.get(f"/en/events/{event.pk}/").content.decode()
        assert "This event has taken place." in page and 'name="reg-email"' not in page
        response = client.post(f"/en/events/{event.pk}/", _form())
        assert response.status_code == 400 and "already taken place" in response.content.decode()


def test_navigation_shows_events(client, db):
    assert 'href="/en/events/"' in client.get("/en/").content.decode()
