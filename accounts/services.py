"""Account actions of the platform's own: the private calendar feeds of Secretariat staff.

A feed's URL carries a random secret; only its SHA-256 is stored. Issuing a new one revokes the
live one in the same transaction (the database allows one live feed per person), so an old URL
stops working the moment a new one is made.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import CalendarFeed, User
from coalition.audit import audited

# Calendar programs fetch every few minutes to hours: the "last used" stamp need not be finer.
_USE_STAMP_EVERY = timedelta(hours=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@audited("calendar_feed.issued")
def issue_calendar_feed(*, user, by=None) -> CalendarFeed:
    """A new private feed URL for ``user``; the previous one, if any, stops at once.

    The returned feed carries the secret in ``token``, the only time it is known.
    """
    if not access.may_hold_calendar_feed(user):
        raise ValidationError(_("Only Secretariat staff with two-factor authentication have a calendar feed."))
    # Two tabs regenerating at once: the person's row serialises them.
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, token_hash=hash_token(token))
    feed.token = token
    return feed


@audited("calendar_feed.revoked", about="feed")
def revoke_calendar_feed(*, feed, by=None) -> CalendarFeed:
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    if feed.revoked_at is not None:
        raise ValidationError(_("This calendar feed was already revoked."))
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    return feed


def open_calendar_feed(*, token: str) -> CalendarFeed | None:
    """The live feed of ``token`` for a person who may still hold one, or None; stamps its use.

    The stamp is bookkeeping, not an action: calendar programs fetch all day long, so it is not in
    the activity log, and it is written at most once an hour (one UPDATE either way).
    """
    if not token or len(token) > 100:
        return None
    feed = (CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
            .select_related("user").first())
    if feed is None or not access.may_hold_calendar_feed(feed.user):
        return None
    now = timezone.now()
    from django.db.models import Q

    CalendarFeed.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - _USE_STAMP_EVERY),
                                pk=feed.pk).update(last_used_at=now)
    return feed
