"""The membership calendar's e-mails: which are due, handed to the outbox (coalition.mail) once."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from coalition import mail
from members import dates, selectors
from members.models import Membership, Notice, Reminder, Term

# Pre-filter windows in days, a little wider than the calendar months they stand for;
# the exact calendar check is made in Python.
_SLACK = 4


def queue_due(*, today: date) -> None:
    """Create the reminder rows due on ``today``; rows that exist already are left alone."""
    current_term = Term.objects.filter(membership=OuterRef("pk"), end=OuterRef("expires_on")).values("pk")[:1]
    rows = []
    renewing = Membership.objects.filter(
        ended_on__isnull=True, ends_on__isnull=True,
        expires_on__gte=today + timedelta(days=6 * 28),
        expires_on__lte=today + timedelta(days=9 * 31 + _SLACK),
    ).annotate(term_id=Subquery(current_term))
    for m in renewing:
        if m.term_id is None:
            continue
        deadline = dates.notice_deadline(m.expires_on)
        if dates.months_before(m.expires_on, 9) <= today <= deadline:
            rows.append(Reminder(membership=m, term_id=m.term_id, kind=Reminder.Kind.RENEWAL_AHEAD))
        if dates.months_before(deadline, 1) <= today <= deadline:
            rows.append(Reminder(membership=m, term_id=m.term_id, kind=Reminder.Kind.LAST_CALL))

    pending_notice = Notice.objects.filter(membership=OuterRef("pk"), withdrawn_on__isnull=True)
    ending = Membership.objects.filter(
        ended_on__isnull=True, ends_on__gt=today, ends_on__lte=today + timedelta(days=31 + _SLACK),
    ).annotate(
        notice_id=Subquery(pending_notice.values("pk")[:1]),
        notice_term_id=Subquery(pending_notice.values("term_id")[:1]),
    )
    for m in ending:
        if m.notice_id and dates.months_before(m.ends_on, 1) <= today:
            rows.append(Reminder(membership=m, term_id=m.notice_term_id, notice_id=m.notice_id,
                                 kind=Reminder.Kind.TERMINATION_AHEAD))
    if rows:
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)


BATCH = 200


def deliver_pending(*, today: date) -> int:
    """Hand every pending reminder still relevant to the outbox; return the number of e-mails queued.

    The reminder row decides what is due; the outbox sends each of its messages (one per language)
    exactly once, under a key made of the reminder and the language, so a message that fails is
    retried alone and never makes the others go out again. Reminders go in batches, each locked
    (a concurrent run skips them) and handed over with a fixed number of queries.
    """
    queued = 0
    while True:
        with transaction.atomic():
            batch = list(
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("membership__country", "membership__letter", "term", "notice")
                .filter(status=Reminder.Status.PENDING).order_by("pk")[:BATCH]
            )
            if not batch:
                return queued
            queued += _hand_over(batch, today=today)


def _hand_over(batch: list[Reminder], *, today: date) -> int:
    # The messages are queued in the same transaction as the status changes: both happen or neither.
    recipients = selectors.reminder_recipients_of({r.membership_id: r.membership for r in batch}.values())
    messages: dict[int, list[dict]] = {}
    for reminder in batch:
        if _still_relevant(reminder, today):
            messages[reminder.pk] = _messages(reminder, recipients[reminder.membership_id])
        else:
            reminder.status = Reminder.Status.OBSOLETE
    rows = {row.key: row for row in mail.queue_many([m for ms in messages.values() for m in ms])}
    now = timezone.now()
    for reminder in batch:
        if reminder.pk in messages:
            sent = [rows[m["key"]] for m in messages[reminder.pk] if m["key"] in rows]
            reminder.status = Reminder.Status.SENT
            reminder.sent_at = now
            reminder.recipients = ", ".join(sorted({a for row in sent for a in row.to}))
    Reminder.objects.bulk_update(batch, ["status", "sent_at", "recipients"])
    return len(rows)


def key_prefix(reminder_pk: int) -> str:
    return mail.key("members.reminder", reminder_pk, "")


def cancel_for_notice(notice: Notice) -> None:
    """A withdrawn notice: its reminders are not sent, nor their messages still in the outbox."""
    reminders = Reminder.objects.filter(notice=notice)
    reminders.filter(status=Reminder.Status.PENDING).update(status=Reminder.Status.OBSOLETE)
    for pk in reminders.values_list("pk", flat=True):
        mail.cancel(key_prefix=key_prefix(pk))


def _still_relevant(reminder: Reminder, today: date) -> bool:
    """A reminder is never sent after what it warns about has happened."""
    m, term, notice = reminder.membership, reminder.term, reminder.notice
    if m.ended_on is not None and m.ended_on <= today:
        return False
    kind = reminder.kind
    if kind in (Reminder.Kind.RENEWAL_AHEAD, Reminder.Kind.LAST_CALL):
        return m.ends_on is None and today <= term.notice_deadline
    if kind in (Reminder.Kind.TERM_RENEWED, Reminder.Kind.WELCOME):
        return today < term.end
    if kind == Reminder.Kind.NOTICE_WITHDRAWN:
        return notice is not None and notice.withdrawn_on is not None
    if kind in (Reminder.Kind.NOTICE_RECORDED, Reminder.Kind.TERMINATION_AHEAD):
        return notice is not None and notice.withdrawn_on is None and today < notice.effective_end
    return False


def _messages(reminder: Reminder, recipients: list[tuple[str, str]]) -> list[dict]:
    """One e-mail per language among the recipients, the secretariat in copy (``mail.queue`` arguments)."""
    by_language: dict[str, list[str]] = {}
    for email, language in recipients:
        by_language.setdefault(language, []).append(email)
    if not by_language:
        by_language = {settings.LANGUAGE_CODE: []}
    return [
        {
            "kind": f"members/{reminder.kind}", "key": key_prefix(reminder.pk) + language, "language": language,
            "to": to or [settings.SECRETARIAT_EMAIL], "cc": [settings.SECRETARIAT_EMAIL] if to else [],
            "context": reminder_context(reminder), "about": reminder.membership, "country": reminder.membership.country,
        }
        for language, to in sorted(by_language.items())
    ]


def reminder_context(reminder: Reminder) -> dict:
    m, term, notice = reminder.membership, reminder.term, reminder.notice
    return {
        "country": m.country,
        "membership": m,
        "term": term,
        "notice": notice,
        "end": term.end,
        "deadline": term.notice_deadline,
        "renewed_end": dates.term_end(term.end),
    }
