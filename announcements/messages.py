"""The e-mails of this app as they are queued: one place for the send service and the admin preview,
so what the Secretariat previews is what people get."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from announcements import tokens
from announcements.models import Announcement

ANNOUNCEMENT = "announcements/announcement"
CONFIRMATION = "announcements/subscription_confirm"
# Shown in the preview in place of a subscriber's own link.
SAMPLE_SUBSCRIBER_ID = 0


def absolute(view: str, *args, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(view, args=args)


def announcement_key(announcement: Announcement, email: str) -> str:
    """One message per announcement and address, whatever sends it and however often."""
    address = email.strip().lower()
    key = f"announcement:{announcement.pk}:{address}"
    # The outbox key has 200 characters; an address may have 254.
    return key if len(key) <= 200 else f"announcement:{announcement.pk}:sha256:{hashlib.sha256(address.encode()).hexdigest()}"


def unsubscribe_url(subscriber_id: int, *, language: str) -> str:
    return absolute("announcements:unsubscribe", tokens.unsubscribe(subscriber_id), language=language)


def unsubscribe_headers(url: str) -> dict:
    # RFC 2369 and RFC 8058: mail programs show their own "unsubscribe" and POST to the link.
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def announcement_context(announcement: Announcement, language: str, *, unsubscribe: str = "") -> dict:
    return {
        "title": announcement.text("title", language),
        "body": announcement.text("body", language).strip(),
        "url": absolute("announcements:detail", announcement.pk, language=language) if announcement.public else "",
        "unsubscribe_url": unsubscribe,
    }


def preview(announcement: Announcement, language: str) -> dict:
    """Subject and text of the message in ``language``, rendered as the send service renders it."""
    from announcements.models import Audience
    from coalition import mail

    unsubscribe = ""
    if Audience.SUBSCRIBERS in (announcement.audiences or []):
        unsubscribe = unsubscribe_url(SAMPLE_SUBSCRIBER_ID, language=language)
    subject, body, _html = mail.render(ANNOUNCEMENT, language=language,
                                       context=announcement_context(announcement, language, unsubscribe=unsubscribe))
    return {"subject": subject, "body": body, "headers": unsubscribe_headers(unsubscribe) if unsubscribe else {}}
