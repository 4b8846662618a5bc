"""Thin Celery tasks: each calls a service; all are safe to run twice or at once."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from reports import services


@shared_task(
    acks_late=True, reject_on_worker_lost=True,
    soft_time_limit=settings.REPORTS_BUILD_SOFT_TIME_LIMIT, time_limit=settings.REPORTS_BUILD_TIME_LIMIT,
)
def build_report(report_id: int) -> str:
    return services.build_report(report_id=report_id)


@shared_task(acks_late=True)
def sweep_stale_builds() -> dict:
    return services.sweep_stale_builds()


@shared_task(acks_late=True)
def build_previous_year_annual_reports() -> int:
    today = timezone.localdate()
    return services.build_annual_reports(year=today.year - 1, today=today)


@shared_task(acks_late=True)
def send_monthly_digest() -> int:
    return services.send_monthly_digest(today=timezone.localdate())
