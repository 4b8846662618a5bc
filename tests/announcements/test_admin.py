"""The Secretariat writes, previews and sends announcements in the admin; others cannot."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from announcements.models import Announcement
from coalition.models import OutgoingMail
from tests.announcements.conftest import draft, subscriber
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _form(**fields):
    data = {"original_language": "en", "languages": ["en", "fr"], "title_en": "Call for pledges",
            "body_en": "Dear colleagues,\n\nPledges are due.", "title_fr": "Appel aux engagements",
            "body_fr": "Chers collègues,\n\nLes engagements sont attendus.", "audiences": ["focal_points", "subscribers"],
            "public": "on"}
    data.update(fields)
    return data


def test_write_preview_and_send(client, world):
    subscriber("reader@example.org", language="fr")
    client.force_login(world.staff)
    response = client.post(reverse("admin:announcements_announcement_add"), _form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    announcement = Announcement.objects.get()
    assert announcement.created_by == world.staff and announcement.status == "draft"
    assert announcement.languages == ["en", "fr"] and announcement.title_fr == "Appel aux engagements"

    change = client.get(reverse("admin:announcements_announcement_change", args=[announcement.pk])).content.decode()
    assert "Preview (French)" in change and "Send…" in change

    preview = client.get(reverse("admin:announcements_announcement_preview", args=[announcement.pk, "fr"]))
    html = preview.content.decode()
    assert "Appel aux engagements" in html and "Les engagements sont attendus." in html
    assert "List-Unsubscribe" in html and "/fr/news/unsubscribe/" in html
    assert client.get(reverse("admin:announcements_announcement_preview",
                              args=[announcement.pk, "ru"])).status_code == 404  # not a language chosen

    send_url = reverse("admin:announcements_announcement_send", args=[announcement.pk])
    page = client.get(send_url)
    summary = page.context["summary"]
    assert [(row["audience"], row["count"]) for row in summary["audiences"]] == [("focal_points", 4), ("subscribers", 1)]
    assert summary["total"] == 5
    assert [(row["code"], row["count"]) for row in summary["languages"]] == [("en", 3), ("fr", 2)]
    assert "Send to 5 people" in page.content.decode()
    assert OutgoingMail.objects.filter(kind="announcements/announcement").count() == 0

    response = client.post(send_url)
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.status == "sent" and announcement.sent_by == world.staff
    assert OutgoingMail.objects.filter(kind="announcements/announcement").count() == 5

    # Sent: read only, and the Send page refuses.
    change = client.get(reverse("admin:announcements_announcement_change", args=[announcement.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert "English, French" in change.content.decode()  # the choices by name, read only
    assert client.post(reverse("admin:announcements_announcement_change", args=[announcement.pk]),
                       _form(title_en="Changed")).status_code == 403
    assert Announcement.objects.get().title_en == "Call for pledges"
    again = client.post(send_url, follow=True)
    assert "already sent" in again.content.decode()
    assert OutgoingMail.objects.filter(kind="announcements/announcement").count() == 5


def test_the_form_says_what_is_missing_and_keeps_what_was_typed(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("admin:announcements_announcement_add"),
                           _form(original_language="fr", languages=["en"], audiences=["event_registrants"]))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "languages" in errors and "events" in errors
    assert "Appel aux engagements" in response.content.decode()
    assert Announcement.objects.count() == 0


def test_an_untranslated_announcement_cannot_be_sent(client, world):
    client.force_login(world.staff)
    announcement = draft(languages=["en", "fr"], body_fr="")
    page = client.get(reverse("admin:announcements_announcement_send", args=[announcement.pk])).content.decode()
    assert "missing: French" in page and "Send to" not in page
    client.post(reverse("admin:announcements_announcement_send", args=[announcement.pk]))
    assert Announcement.objects.get().status == "draft"


def test_only_the_secretariat_previews_and_sends(client, world):
    announcement = draft()
    urls = [reverse("admin:announcements_announcement_preview", args=[announcement.pk, "en"]),
            reverse("admin:announcements_announcement_send", args=[announcement.pk])]
    other_staff = UserFactory(email="it@example.org", is_staff=True)
    Authenticator.objects.create(user=other_staff, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    for url in urls:
        client.force_login(other_staff)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        # Focal points and visitors never reach the admin: they are asked to sign in as staff.
        for user in (world.fp["kz"], None):
            client.logout()
            if user:
                client.force_login(user)
            response = client.get(url)
            assert response.status_code == 302 and "login" in response["Location"]
            client.post(url)
    assert Announcement.objects.get().status == "draft"
    assert OutgoingMail.objects.filter(kind="announcements/announcement").count() == 0
