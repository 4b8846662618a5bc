"""Announcement and subscription rules: drafts, sending once, double opt-in, unsubscribing.

Every function takes keyword arguments and runs in one transaction; errors are ValidationError with
a message a person can act on, and nothing changes when one is raised.

Sending renders and queues every message in the request (``mail.queue_many``: a fixed number of
queries, about a millisecond of rendering per person), which is fast enough for the Coalition's
audiences (a few hundred focal points and registrants, subscribers in the low thousands); the
worker sends them after the commit. Each message's outbox key is the announcement and the
address, so no address gets an announcement twice, whatever is retried.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from announcements import messages, selectors, tokens
from announcements.models import Announcement, Subscriber
from coalition import mail
from coalition.audit import audited


@transaction.atomic
@audited("announcement.saved", about="announcement")
def save_draft(*, announcement: Announcement, by=None) -> Announcement:
    """Save a draft written or edited in the admin; a sent announcement is part of the record."""
    if announcement.pk is None:
        announcement.created_by = by
    else:
        current = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if current.is_sent:
            raise ValidationError(_("This announcement was sent on %(date)s and can no longer change.")
                                  % {"date": date_format(timezone.localtime(current.sent_at), "DATE_FORMAT")},
                                  code="sent")
        announcement.created_by_id = current.created_by_id
    announcement.status = Announcement.Status.DRAFT
    announcement.full_clean()
    announcement.save()
    return announcement


@transaction.atomic
@audited("announcement.sent", about="announcement")
def send(*, announcement: Announcement, by=None) -> int:
    """Queue one message per person of the audiences, in their language; return how many were queued."""
    row = Announcement.objects.select_for_update().get(pk=announcement.pk)
    problems = selectors.send_problems(row)
    if problems:
        raise ValidationError(problems, code="not_ready")
    people = selectors.recipients(row)
    batch = []
    for person in people:
        unsubscribe = ""
        if person.subscriber_id is not None:
            unsubscribe = messages.unsubscribe_url(person.subscriber_id, language=person.language)
        batch.append({
            "kind": messages.ANNOUNCEMENT, "key": messages.announcement_key(row, person.email),
            "to": [person.email], "language": person.language, "about": row,
            "context": messages.announcement_context(row, person.language, unsubscribe=unsubscribe),
            "headers": messages.unsubscribe_headers(unsubscribe) if unsubscribe else {},
        })
    queued = mail.queue_many(batch)
    row.status, row.sent_at, row.sent_by, row.recipient_count = (
        Announcement.Status.SENT, timezone.now(), by if getattr(by, "is_authenticated", False) else None, len(people))
    row.save(update_fields=["status", "sent_at", "sent_by", "recipient_count", "updated_at"])
    for name in ("status", "sent_at", "sent_by", "recipient_count", "updated_at"):
        setattr(announcement, name, getattr(row, name))
    return len(queued)


@transaction.atomic
@audited("subscriber.subscribed")
def subscribe(*, email: str, language: str) -> Subscriber:
    """Ask for the newsletter: a confirmation link goes to ``email``; nothing else is sent until it is followed.

    The same whoever asks and whatever the address's state, so the answer tells nobody whether an
    address is subscribed: a new or pending address gets a (new) link, one that left gets a link to
    come back, a confirmed one a link that sets the language asked for.
    """
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Enter a valid e-mail address, such as name@example.org."), code="bad_email") from None
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    if subscriber is None:
        try:
            # A concurrent request for the same address loses on the unique index and takes that row.
            with transaction.atomic():
                subscriber = Subscriber.objects.create(email=email, language=language)
        except IntegrityError:
            subscriber = Subscriber.objects.select_for_update().get(email__iexact=email)
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        subscriber.status, subscriber.unsubscribed_at = Subscriber.Status.PENDING, None
    if subscriber.status == Subscriber.Status.PENDING:
        subscriber.language = language
    subscriber.confirmations_sent += 1
    subscriber.save()
    mail.queue(
        kind=messages.CONFIRMATION, key=f"subscription:{subscriber.pk}:confirm:{subscriber.confirmations_sent}",
        to=[subscriber.email], language=language, about=subscriber, sensitive=True,
        context={"confirm_url": messages.absolute("announcements:confirm", tokens.confirmation(subscriber, language),
                                                  language=language),
                 "days": tokens.CONFIRM_MAX_AGE // 86400},
    )
    return subscriber


@transaction.atomic
@audited("subscriber.confirmed", about="subscriber")
def confirm(*, subscriber: Subscriber, language: str) -> Subscriber:
    """The owner of the mailbox followed the link: announcements to subscribers reach them from now on."""
    row = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if row.status != Subscriber.Status.CONFIRMED:
        row.status, row.confirmed_at, row.unsubscribed_at = Subscriber.Status.CONFIRMED, timezone.now(), None
    if language in dict(settings.LANGUAGES):
        row.language = language
    row.save()
    return row


@transaction.atomic
@audited("subscriber.unsubscribed", about="subscriber")
def unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Leave the newsletter (one click in a message or the mail program); doing it twice changes nothing."""
    row = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if row.status != Subscriber.Status.UNSUBSCRIBED:
        row.status, row.unsubscribed_at = Subscriber.Status.UNSUBSCRIBED, timezone.now()
        row.save(update_fields=["status", "unsubscribed_at"])
    return row
