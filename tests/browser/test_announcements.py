"""A Secretariat officer writes an announcement in two languages, previews it and sends it; on a phone too."""

from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from announcements.models import Announcement
from coalition.models import OutgoingMail
from members.models import Country
from pledges import services as pledge_services
from tests.announcements.conftest import subscriber
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
WIDER_THAN_PHONE = "() => document.documentElement.scrollWidth > window.innerWidth + 1"


def _sign_in(page, live_server, staff, path):
    page.goto(live_server.url + path)
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**" + path)


def test_write_preview_and_send_an_announcement(live_server, page, browser, screenshot_dir):
    since = timezone.localdate() - timedelta(days=400)
    for iso2, email, language in [("KZ", "fp@kz.example.org", "ru"), ("FR", "fp@fr.example.org", "fr")]:
        member(iso2, since=since)
        pledge_services.add_focal_point(country=Country.objects.get(iso2=iso2),
                                        user=UserFactory(email=email, language=language))
    subscriber("reader@example.org", language="fr")
    staff = StaffFactory(email="officer@example.org")

    _sign_in(page, live_server, staff, "/en/admin/announcements/announcement/add/")
    page.check("input[name=languages][value=fr]")
    page.check("input[name=languages][value=ru]")
    page.fill("input[name=title_en]", "Call for pledges before the World Health Assembly")
    page.fill("textarea[name=body_en]", "Dear colleagues,\n\nPlease send your country's pledge by 1 May.")
    page.fill("input[name=title_fr]", "Appel aux engagements avant l'Assemblée mondiale de la Santé")
    page.fill("textarea[name=body_fr]", "Chers collègues,\n\nMerci d'envoyer l'engagement de votre pays avant le 1er mai.")
    page.fill("input[name=title_ru]", "Призыв представить обязательства до Всемирной ассамблеи здравоохранения")
    page.fill("textarea[name=body_ru]", "Уважаемые коллеги,\n\nПросим направить обязательство вашей страны до 1 мая.")
    page.check("input[name=audiences][value=focal_points]")
    page.check("input[name=audiences][value=subscribers]")
    page.check("input[name=public]")
    page.screenshot(path=screenshot_dir / "announcement-1-write.png", full_page=True)
    page.click("input[name=_continue]")
    page.wait_for_selector("text=Preview (French)")

    page.click("text=Preview (French)")
    page.wait_for_selector("text=Appel aux engagements")
    assert "Merci d'envoyer" in page.content() and "List-Unsubscribe" in page.content()
    page.screenshot(path=screenshot_dir / "announcement-2-preview-fr.png", full_page=True)
    page.click("text=Russian")
    page.wait_for_selector("text=Призыв представить")
    assert "Просим направить" in page.content()
    page.screenshot(path=screenshot_dir / "announcement-2-preview-ru.png", full_page=True)

    page.click("a.button:has-text('Send…')")
    page.wait_for_selector("text=Send to 3 people")
    page.screenshot(path=screenshot_dir / "announcement-3-confirm.png", full_page=True)
    phone = browser.new_context(viewport=PHONE, storage_state=page.context.storage_state())
    small = phone.new_page()
    small.goto(page.url)
    small.wait_for_selector("text=Send to 3 people")
    small.screenshot(path=screenshot_dir / "announcement-3-confirm-phone.png", full_page=True)

    page.click("input[value='Send to 3 people']")
    page.wait_for_selector("text=3 messages are on their way")
    page.screenshot(path=screenshot_dir / "announcement-4-sent.png", full_page=True)
    announcement = Announcement.objects.get()
    assert announcement.status == "sent"
    assert sorted(OutgoingMail.objects.filter(kind="announcements/announcement").values_list("to", "language")) == [
        (["fp@fr.example.org"], "fr"), (["fp@kz.example.org"], "ru"), (["reader@example.org"], "fr")]
    # Delivered after the commit, each once.
    assert sorted(m.to[0] for m in django_mail.outbox if "engagements" in m.subject or "Призыв" in m.subject) == [
        "fp@fr.example.org", "fp@kz.example.org", "reader@example.org"]

    # The public reads it in French on a phone, with nothing wider than the screen.
    small.goto(f"{live_server.url}/fr/news/")
    small.click("text=Appel aux engagements")
    small.wait_for_selector("text=Merci d'envoyer")
    assert not small.evaluate(WIDER_THAN_PHONE)
    small.screenshot(path=screenshot_dir / "announcement-5-news-phone.png", full_page=True)
    small.goto(f"{live_server.url}/ru/news/")
    small.click("text=Призыв представить")
    small.wait_for_selector("text=Просим направить")
    assert not small.evaluate(WIDER_THAN_PHONE)
    small.screenshot(path=screenshot_dir / "announcement-5-news-phone-ru.png", full_page=True)
    small.goto(f"{live_server.url}/fr/news/subscribe/")
    assert not small.evaluate(WIDER_THAN_PHONE)
    small.screenshot(path=screenshot_dir / "announcement-6-subscribe-phone.png", full_page=True)
    phone.close()
