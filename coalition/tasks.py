from celery import shared_task
from django.conf import settings

from coalition import mail
from members.models import Country


@shared_task
def count_countries() -> int:
    """A round trip through broker, worker and database; used by health checks and tests."""
    return Country.objects.count()


@shared_task(
    acks_late=True, reject_on_worker_lost=True,
    soft_time_limit=settings.MAIL_TASK_SOFT_TIME_LIMIT, time_limit=settings.MAIL_TASK_TIME_LIMIT,
)
def send_outgoing_mail(mail_id: int) -> int:
    """Send one outbox row (queued after the commit that made it); a no-op if it is sent or not due."""
    return mail.deliver_one(mail_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep_outgoing_mail() -> dict:
    """Send what is due (retries, rows the broker never got) and take back rows of killed workers."""
    return mail.sweep()
