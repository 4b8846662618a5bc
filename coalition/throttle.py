"""Limits on what anonymous visitors may send: per IP address and per e-mail address.

Each public form that causes an e-mail (event registration, for one) asks here first, so that
nobody can make the platform write to thirty strangers in a row. Counters live in the shared
cache (django-ratelimit), so every web process sees the same counts.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited


def _email_key(email: str):
    normalised = (email or "").strip().lower()
    return lambda group, request: normalised


def refusal(request, group: str, *, email: str = "") -> str | None:
    """A message saying why the request is refused, or None. Counts the attempt either way."""
    by_ip = is_ratelimited(request, group=f"{group}:ip", key="ip", rate=settings.PUBLIC_FORM_RATE_PER_IP,
                           increment=True)
    by_email = bool(email.strip()) and is_ratelimited(
        request, group=f"{group}:email", key=_email_key(email), rate=settings.PUBLIC_FORM_RATE_PER_EMAIL,
        increment=True,
    )
    if by_ip or by_email:
        return _("Too many registrations were sent from here in a short time. Nothing was saved; "
                 "please try again in an hour, or write to the Secretariat.")
    return None
