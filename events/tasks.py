"""Thin Celery tasks: each calls a service; all are safe to run twice or at once."""

from celery import shared_task


@shared_task(acks_late=True)
def deliver_event_emails() -> int:
    """Send registration e-mails; queued after each commit and run periodically to catch up."""
    from events import notifications

    return notifications.deliver_pending()
