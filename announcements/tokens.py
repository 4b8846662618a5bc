"""Signed links that let a subscriber confirm or leave the newsletter without an account."""

from __future__ import annotations

from django.core import signing

_CONFIRM_SALT = "announcements.subscription.confirm"
_UNSUBSCRIBE_SALT = "announcements.subscription.unsubscribe"
# Long enough for a slow mailbox; after that the person simply subscribes again.
CONFIRM_MAX_AGE = 7 * 24 * 3600


class Expired(Exception):
    pass


def confirmation(subscriber, language: str) -> str:
    # The language travels in the link: a stranger re-subscribing someone's address cannot change
    # the language of a confirmed subscriber, only the owner of the mailbox can.
    return signing.dumps({"s": subscriber.pk, "l": language}, salt=_CONFIRM_SALT, compress=True)


def read_confirmation(token: str) -> tuple[int, str] | None:
    """``(subscriber id, language)``, None if the link was altered; raises Expired when too old."""
    try:
        value = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise Expired from None
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("s"), int) or not isinstance(value.get("l"), str):
        return None
    return value["s"], value["l"]


def unsubscribe(subscriber_id: int) -> str:
    # No expiry: an unsubscribe link in a years-old newsletter must still work.
    return signing.dumps(subscriber_id, salt=_UNSUBSCRIBE_SALT)


def read_unsubscribe(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
