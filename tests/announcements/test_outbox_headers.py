"""The outbox keeps a message's extra headers (List-Unsubscribe) and the mail server receives them."""

import pytest
from django.core import mail as django_mail

from coalition import mail
from coalition.models import OutgoingMail

pytestmark = pytest.mark.django_db

HEADERS = {"List-Unsubscribe": "<https://example.org/u/1/>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _message(n, **extra):
    return {"kind": "announcements/subscription_confirm", "key": f"test:{n}", "to": [f"p{n}@example.org"],
            "language": "en", "context": {"confirm_url": "https://example.org/c/", "days": 7}, **extra}


def test_queue_and_queue_many_keep_headers_to_the_delivered_message():
    mail.queue(**_message(1, headers=HEADERS))
    mail.queue_many([_message(2, headers=HEADERS), _message(3)])
    mail.queue_rendered(kind="test/plain", key="test:4", to=["p4@example.org"], language="en", subject="S",
                        body="B\n", headers={"X-Test": "yes"})
    assert mail.deliver_due() == 4
    sent = {m.to[0]: m for m in django_mail.outbox}
    for address in ("p1@example.org", "p2@example.org"):
        raw = sent[address].message()
        assert raw["List-Unsubscribe"] == "<https://example.org/u/1/>"
        assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Without headers, nothing extra; a message's headers are its own.
    assert sent["p3@example.org"].message()["List-Unsubscribe"] is None
    assert sent["p4@example.org"].message()["X-Test"] == "yes"
    assert OutgoingMail.objects.get(key="test:3").headers == {}
