"""Thin Celery tasks: each calls a service; all are safe to run twice or at once."""

from celery import shared_task
from django.utils import timezone

from governance import services


@shared_task(acks_late=True)
def send_action_item_reminders() -> int:
    return services.send_action_item_reminders(today=timezone.localdate())
