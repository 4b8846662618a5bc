"""Thin Celery tasks: each calls a service; all are safe to run twice or at once."""

from celery import shared_task
from django.utils import timezone

from pledges import services


@shared_task(acks_late=True)
def run_daily_pledge_jobs() -> dict:
    return {"emails_sent": services.send_due_reminders(today=timezone.localdate())}


@shared_task(acks_late=True)
def send_overdue_digest() -> int:
    return services.send_overdue_digest(today=timezone.localdate())
