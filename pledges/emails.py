"""Who receives which pledge e-mail, and in which language; the outbox (coalition.mail) sends them.

Shared by the services (workflow steps) and the reminders, so neither imports the other for it.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from coalition import mail
from pledges.models import FocalPoint


def by_language(recipients) -> dict[str, list[str]]:
    """``[(email, language), ...]`` grouped by language (the site's language where none is set)."""
    groups: dict[str, list[str]] = {}
    for email, language in recipients:
        groups.setdefault(language or settings.LANGUAGE_CODE, []).append(email)
    return groups


def queue(kind: str, *, groups: dict[str, list[str]], key: str, about, country, context: dict, url=None,
          cc=(), sensitive: bool = False) -> list:
    """One message of ``emails/pledges/<kind>/`` per language; returns the rows newly queued."""
    rows = []
    for language, recipients in sorted(groups.items()):
        ctx = dict(context)
        if url is not None:
            # Reversed in the reader's language, so the link opens in it.
            with translation.override(language):
                ctx["url"] = settings.SITE_URL + reverse(url[0], kwargs=url[1])
        row = mail.queue(
            kind=f"pledges/{kind}", key=mail.key(key, language), to=recipients, cc=cc, language=language,
            context=ctx, about=about, country=country, sensitive=sensitive,
        )
        if row is not None:
            rows.append(row)
    return rows


def to_focal_points(country, kind: str, *, key: str, about, context: dict, url=None, cc_secretariat=False) -> list:
    """One e-mail per language among the country's active focal points."""
    groups = by_language(FocalPoint.objects.reminder_recipients(country))
    cc = [settings.SECRETARIAT_EMAIL] if cc_secretariat else []
    return queue(kind, groups=groups, key=key, about=about, country=country, context=context, url=url, cc=cc)


def to_secretariat(kind: str, *, key: str, about, country, context: dict, url=None) -> list:
    groups = {settings.LANGUAGE_CODE: [settings.SECRETARIAT_EMAIL]}
    return queue(kind, groups=groups, key=key, about=about, country=country, context=context, url=url)
