"""Progress-report reminders: which are due, each handed to the outbox once (as members.reminders does)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from coalition import mail
from members import selectors as member_selectors
from members.models import Membership
from pledges import emails, selectors
from pledges.models import Pledge, ProgressReport, Reminder

DUE_SOON_DAYS = 30


def queue_report_due(*, today: date) -> None:
    """Create a 'report due' row for each report falling due within 30 days; existing rows stay as they are."""
    members = Membership.objects.in_force(on=today).values("pk")
    pledges = (
        Pledge.objects.filter(status=Pledge.Status.PUBLISHED, membership__in=members)
        .select_related("term")
        .prefetch_related("reports")
    )
    rows = []
    for pledge in pledges:
        due = selectors.next_report(pledge, today=today)
        # A reminder whose moment was missed is still queued while the report is not yet late.
        if due is not None and today <= due[1] <= today + timedelta(days=DUE_SOON_DAYS):
            rows.append(Reminder(kind=Reminder.Kind.REPORT_DUE, pledge=pledge, key_date=due[1]))
    if rows:
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)


def queue_overdue_digest(*, today: date) -> None:
    """One digest per week (keyed by its Monday), whichever day the weekly job runs."""
    monday = today - timedelta(days=today.weekday())
    Reminder.objects.bulk_create(
        [Reminder(kind=Reminder.Kind.OVERDUE_DIGEST, pledge=None, key_date=monday)], ignore_conflicts=True
    )


def deliver_pending(*, today: date) -> int:
    """Hand every pending reminder still relevant to the outbox; return the number of e-mails queued."""
    pending = list(Reminder.objects.filter(status=Reminder.Status.PENDING).order_by("pk").values_list("pk", flat=True))
    return sum(_hand_over(pk, today=today) for pk in pending)


def _hand_over(pk: int, *, today: date) -> int:
    # Locked so that a concurrent run skips it; its messages are queued in the same transaction
    # as the status change, each under a key of the reminder and language (sent once by the outbox).
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("pledge__country", "pledge__term", "pledge__membership__letter")
            .filter(pk=pk, status=Reminder.Status.PENDING)
            .first()
        )
        if reminder is None:
            return 0
        queued = _queue_messages(reminder, today)
        if queued is None:
            reminder.status = Reminder.Status.OBSOLETE
            reminder.save(update_fields=["status"])
            return 0
        reminder.status = Reminder.Status.SENT
        reminder.sent_at = timezone.now()
        reminder.recipients = ", ".join(sorted({a for row in queued for a in row.to + row.cc}))
        reminder.save(update_fields=["status", "sent_at", "recipients"])
        return len(queued)


def _queue_messages(reminder: Reminder, today: date) -> list | None:
    """Queue the reminder's e-mails; None when what it warns about is no longer true."""
    key = mail.key("pledges.reminder", reminder.pk)
    if reminder.kind == Reminder.Kind.OVERDUE_DIGEST:
        if today >= reminder.key_date + timedelta(days=7):
            return None
        rows = selectors.overdue_reports(today=today)
        if not rows:
            return None
        return emails.to_secretariat("overdue_digest", key=key, about=None, country=None,
                                     context={"rows": rows, "today": today})

    pledge = reminder.pledge
    if pledge.status != Pledge.Status.PUBLISHED or Membership.objects.of(pledge.country, on=today) is None:
        return None
    due = selectors.next_report(pledge, today=today)
    if due is None or due[1] != reminder.key_date or today > due[1]:
        return None
    year, due_on = due
    report = ProgressReport.objects.filter(pledge=pledge, year=year).first()
    groups = emails.by_language(member_selectors.reminder_recipients(pledge.membership))
    context = {"pledge": pledge, "country": pledge.country, "year": year, "due_on": due_on, "report": report}
    # Nobody to write to: the secretariat gets the reminder instead of a copy.
    cc = [settings.SECRETARIAT_EMAIL] if groups else []
    groups = groups or {settings.LANGUAGE_CODE: [settings.SECRETARIAT_EMAIL]}
    return emails.queue("report_due", groups=groups, key=key, about=pledge, country=pledge.country, context=context,
                        url=("pledges:dashboard", {}), cc=cc)
