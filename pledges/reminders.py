"""Progress-report reminders: which are due, and sending each exactly once (as members.reminders does)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from members import selectors as member_selectors
from members.models import Membership
from pledges import selectors
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
    """Send every pending reminder that is still relevant; return the number of e-mails sent."""
    sent = 0
    pending = list(Reminder.objects.filter(status=Reminder.Status.PENDING).order_by("pk").values_list("pk", flat=True))
    if not pending:
        return 0
    connection = get_connection()
    for pk in pending:
        # The row stays locked while its e-mail goes out, so a concurrent run skips it; if sending
        # fails, the transaction rolls back and the reminder stays pending for the next run.
        with transaction.atomic():
            reminder = (
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("pledge__country", "pledge__term", "pledge__membership__letter")
                .filter(pk=pk, status=Reminder.Status.PENDING)
                .first()
            )
            if reminder is None:
                continue
            messages = _messages(reminder, today)
            if not messages:
                reminder.status = Reminder.Status.OBSOLETE
                reminder.save(update_fields=["status"])
                continue
            connection.send_messages(messages)
            reminder.status = Reminder.Status.SENT
            reminder.sent_at = timezone.now()
            reminder.recipients = ", ".join(sorted({a for m in messages for a in m.to + m.cc}))
            reminder.save(update_fields=["status", "sent_at", "recipients"])
            sent += len(messages)
    return sent


def _messages(reminder: Reminder, today: date) -> list[EmailMessage]:
    """The reminder's e-mails, or none when what it warns about is no longer true."""
    from pledges.services import render_email, secretariat_message

    if reminder.kind == Reminder.Kind.OVERDUE_DIGEST:
        if today >= reminder.key_date + timedelta(days=7):
            return []
        rows = selectors.overdue_reports(today=today)
        if not rows:
            return []
        return [secretariat_message("overdue_digest", context={"rows": rows, "today": today})]

    pledge = reminder.pledge
    if pledge.status != Pledge.Status.PUBLISHED or Membership.objects.of(pledge.country, on=today) is None:
        return []
    due = selectors.next_report(pledge, today=today)
    if due is None or due[1] != reminder.key_date or today > due[1]:
        return []
    year, due_on = due
    report = ProgressReport.objects.filter(pledge=pledge, year=year).first()
    by_language: dict[str, list[str]] = {}
    for email, language in member_selectors.reminder_recipients(pledge.membership):
        by_language.setdefault(language, []).append(email)
    if not by_language:
        by_language = {settings.LANGUAGE_CODE: []}
    messages = []
    for language, recipients in sorted(by_language.items()):
        subject, body = render_email(
            "report_due", language=language,
            context={"pledge": pledge, "country": pledge.country, "year": year, "due_on": due_on, "report": report},
            url=("pledges:dashboard", {}),
        )
        to = recipients or [settings.SECRETARIAT_EMAIL]
        cc = [settings.SECRETARIAT_EMAIL] if recipients else []
        messages.append(EmailMessage(subject=subject, body=body, to=to, cc=cc))
    return messages
