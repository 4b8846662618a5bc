from celery import shared_task

from members.models import Country


@shared_task
def count_countries() -> int:
    """A round trip through broker, worker and database; used by health checks and tests."""
    return Country.objects.count()
