"""The public newsletter: double opt-in, one-click unsubscribe without signing in, links that cannot be forged."""

import re
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.test import Client
from django.urls import reverse

from announcements import services, tokens
from announcements.models import Subscriber
from coalition import mail
from coalition.models import OutgoingMail
from tests.announcements.conftest import draft, subscriber

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/fr/news/subscribe/"


def _link(message, view):
    (url,) = re.findall(rf"http://\S+/news/{view}/\S+/", message.body)
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def fr(text):
    """``text`` as the French page shows it (the pages below are the French ones)."""
    from django.utils.html import escape
    from django.utils.translation import gettext, override

    with override("fr"):
        return escape(gettext(text))


def _send_to_subscribers(**fields):
    """Who an announcement to subscribers reaches (other e-mails queued before are out of the way)."""
    mail.deliver_due()
    django_mail.outbox.clear()
    services.send(announcement=draft(audiences=["subscribers"], **fields))
    mail.deliver_due()
    return {m.to[0] for m in django_mail.outbox}


def test_double_opt_in_from_the_form_to_the_first_announcement(client):
    response = client.post(SUBSCRIBE, {"email": " Reader@Example.org ", "language": "fr"})
    assert response.status_code == 302 and response["Location"] == "/fr/news/subscribe/sent/"
    assert fr("Check your mailbox") in client.get(response["Location"]).content.decode()
    person = Subscriber.objects.get()
    assert (person.email, person.language, person.status) == ("Reader@Example.org", "fr", "pending")

    # Unconfirmed: announcements to subscribers do not reach the address.
    mail.deliver_due()
    (confirmation,) = django_mail.outbox
    assert confirmation.to == ["Reader@Example.org"]
    assert OutgoingMail.objects.get(kind="announcements/subscription_confirm").language == "fr"
    assert _send_to_subscribers() == set()

    link = _link(confirmation, "subscribe/confirm")
    assert link.startswith("/fr/news/subscribe/confirm/")
    # Opening the link (as a mail scanner does) confirms nothing: the page asks.
    page = client.get(link)
    assert page.status_code == 200 and fr("Confirm my subscription") in page.content.decode()
    assert Subscriber.objects.get().status == "pending"
    done = client.post(link)
    assert done.status_code == 200 and fr("Your subscription is confirmed") in done.content.decode()
    person.refresh_from_db()
    assert person.status == "confirmed" and person.confirmed_at is not None

    assert _send_to_subscribers() == {"Reader@Example.org"}


def test_the_answer_is_the_same_whether_the_address_is_known(client):
    subscriber("known@example.org", language="en")
    answers = [client.post(SUBSCRIBE, {"email": email, "language": "fr"})
               for email in ["known@example.org", "unknown@example.org"]]
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, "/fr/news/subscribe/sent/")] * 2
    # The confirmed subscriber keeps their language until they follow the new link themselves.
    assert Subscriber.objects.get(email="known@example.org").language == "en"


def test_asking_again_sends_a_new_confirmation(client):
    for _n in range(2):
        client.post(SUBSCRIBE, {"email": "reader@example.org", "language": "es"})
    assert Subscriber.objects.count() == 1
    assert OutgoingMail.objects.filter(kind="announcements/subscription_confirm").count() == 2


def test_a_bad_address_is_refused_with_what_was_typed_kept(client):
    response = client.post(SUBSCRIBE, {"email": "not an address", "language": "ru"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="not an address"' in html and 'value="ru" selected' in html
    assert Subscriber.objects.count() == 0


def test_the_form_is_rate_limited(client, settings):
    settings.PUBLIC_FORM_RATE_PER_EMAIL = "2/h"
    codes = [client.post(SUBSCRIBE, {"email": "victim@example.org", "language": "en"}).status_code for _n in range(3)]
    assert codes == [302, 302, 400]
    assert OutgoingMail.objects.filter(kind="announcements/subscription_confirm").count() == 2


@pytest.mark.parametrize("view", ["confirm", "unsubscribe"])
def test_a_tampered_link_is_refused_with_a_clear_page(client, view):
    person = subscriber("reader@example.org", status="pending")
    token = tokens.confirmation(person, "en") if view == "confirm" else tokens.unsubscribe(person.pk)
    # Its signature no longer matches what it says.
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    name = "announcements:confirm" if view == "confirm" else "announcements:unsubscribe"
    for method in (client.get, client.post):
        response = method(reverse(name, args=[forged]))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert Subscriber.objects.get().status == "pending"


def test_a_confirmation_link_expires(client, time_machine):
    person = subscriber("reader@example.org", status="pending")
    link = reverse("announcements:confirm", args=[tokens.confirmation(person, "en")])
    time_machine.move_to(timedelta(days=8))
    response = client.post(link)
    assert response.status_code == 400 and "has expired" in response.content.decode()
    assert Subscriber.objects.get().status == "pending"


def test_unsubscribe_in_one_click_without_signing_in():
    subscriber("reader@example.org", language="en")
    assert _send_to_subscribers() == {"reader@example.org"}
    (message,) = django_mail.outbox
    link = _link(message, "unsubscribe")
    header = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert header.endswith(link)

    browser = Client(enforce_csrf_checks=True)
    page = browser.get(link)
    assert page.status_code == 200 and "Stop sending the news" in page.content.decode()
    assert Subscriber.objects.get().status == "confirmed"
    # RFC 8058: the mail program POSTs this body to the header's address, with no cookie or CSRF token.
    response = browser.post(link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    person = Subscriber.objects.get()
    assert person.status == "unsubscribed" and person.unsubscribed_at is not None
    # Twice is harmless, and nothing more is sent.
    assert browser.post(link).status_code == 200
    assert _send_to_subscribers() == set()


def test_coming_back_after_unsubscribing_needs_a_new_confirmation(client):
    subscriber("reader@example.org", status="unsubscribed")
    client.post(SUBSCRIBE, {"email": "READER@example.org", "language": "fr"})
    person = Subscriber.objects.get()
    assert (person.status, person.unsubscribed_at, person.language) == ("pending", None, "fr")
    assert _send_to_subscribers() == set()
