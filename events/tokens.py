"""Signed links that let a registrant see or cancel a registration without an account."""

from django.core import signing

_SALT = "events.registration"


def make(registration) -> str:
    return signing.dumps(registration.pk, salt=_SALT, compress=True)


def read(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
