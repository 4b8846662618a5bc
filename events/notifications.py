"""E-mails to registrants: each Notification row is sent exactly once, after the commit that made it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from events import ics, selectors, tokens
from events.models import Notification, Registration


def registration_url(registration: Registration) -> str:
    with translation.override(registration.language):
        return settings.SITE_URL + reverse("events:registration", args=[tokens.make(registration)])


def deliver_pending() -> int:
    """Send every pending e-mail; return the number sent. Safe to run twice or concurrently."""
    pending = list(
        Notification.objects.filter(status=Notification.Status.PENDING).order_by("pk").values_list("pk", flat=True)
    )
    if not pending:
        return 0
    sent = 0
    connection = get_connection()
    for pk in pending:
        # The row stays locked while its e-mail goes out, so a concurrent run skips it; if sending
        # fails, the transaction rolls back and the e-mail stays pending for the next run.
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("registration__event", "registration__country")
                .filter(pk=pk, status=Notification.Status.PENDING)
                .first()
            )
            if notification is None:
                continue
            connection.send_messages([message(notification)])
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
            notification.save(update_fields=["status", "sent_at"])
            sent += 1
    return sent


def message(notification: Notification) -> EmailMessage:
    registration = notification.registration
    event = registration.event
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
        "confirmed": notification.kind in (Notification.Kind.CONFIRMED, Notification.Kind.PROMOTED),
    }
    with translation.override(registration.language), timezone.override(event.zone):
        subject = render_to_string(f"events/email/{notification.kind}_subject.txt", context).strip()
        body = render_to_string(f"events/email/{notification.kind}.txt", context)
    email = EmailMessage(subject=" ".join(subject.split()), body=body, to=[registration.email])
    if context["confirmed"]:
        email.attach("invitation.ics", ics.invitation(registration), "text/calendar; method=REQUEST; charset=utf-8")
    elif notification.kind == Notification.Kind.CANCELLED and registration.confirmed_at is not None:
        email.attach("cancellation.ics", ics.invitation(registration, cancelled=True),
                     "text/calendar; method=CANCEL; charset=utf-8")
    return email
