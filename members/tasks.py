"""Thin Celery tasks: each calls a service; all are safe to run twice or at once."""

from celery import shared_task
from django.utils import timezone

from members import core_group, services


@shared_task(acks_late=True)
def run_daily_membership_jobs() -> dict:
    today = timezone.localdate()
    return {
        "terms_created": services.renew_due_memberships(today=today),
        "emails_sent": services.send_due_reminders(today=today),
        "seat_reminders_sent": core_group.send_seat_reminders(today=today),
    }


@shared_task(acks_late=True)
def deliver_reminders() -> int:
    """Hand reminders made by a request (a notice recorded) to the outbox without waiting for the daily run."""
    from members import reminders

    return reminders.deliver_pending(today=timezone.localdate())
