"""E-mails to registrants: each Notification row hands its message to the outbox exactly once.

The row (unique per registration and kind) decides that an e-mail is due; the outbox
(coalition.mail) sends it after the commit that made it, retrying on failure.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from coalition import mail
from events import ics, selectors, tokens
from events.models import Notification, Registration


def registration_url(registration: Registration) -> str:
    with translation.override(registration.language):
        return settings.SITE_URL + reverse("events:registration", args=[tokens.make(registration)])


def hand_over_pending(*, registration: Registration | None = None) -> int:
    """Queue the e-mail of every pending notification (of ``registration``); return the number queued."""
    pending = Notification.objects.filter(status=Notification.Status.PENDING)
    if registration is not None:
        pending = pending.filter(registration=registration)
    queued = 0
    for pk in list(pending.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            # Locked so that a concurrent hand-over skips it; queued with the status change.
            notification = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("registration__event", "registration__country")
                .filter(pk=pk, status=Notification.Status.PENDING)
                .first()
            )
            if notification is None:
                continue
            queued += _queue(notification) is not None
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
            notification.save(update_fields=["status", "sent_at"])
    return queued


def _queue(notification: Notification):
    registration = notification.registration
    event = registration.event
    confirmed = notification.kind in (Notification.Kind.CONFIRMED, Notification.Kind.PROMOTED)
    context = {
        "registration": registration,
        "event": event,
        "kind": notification.kind,
        "start": event.local_starts_at,
        "end": event.local_ends_at,
        "zone": event.timezone,
        "event_url": ics.event_url(event, registration.language),
        "registration_url": registration_url(registration),
        "position": selectors.waitlist_position(registration),
        "confirmed": confirmed,
    }
    attachments = []
    if confirmed:
        attachments.append(("invitation.ics", ics.invitation(registration),
                            "text/calendar; method=REQUEST; charset=utf-8"))
    elif notification.kind == Notification.Kind.CANCELLED and registration.confirmed_at is not None:
        attachments.append(("cancellation.ics", ics.invitation(registration, cancelled=True),
                            "text/calendar; method=CANCEL; charset=utf-8"))
    return mail.queue(
        kind=f"events/{notification.kind}", key=mail.key("events.notification", notification.pk),
        to=[registration.email], language=registration.language, context=context, time_zone=event.timezone,
        attachments=attachments, about=registration, country=registration.country,
    )
