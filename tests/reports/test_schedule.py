"""What beat runs: the previous year's annual report on 15 January, the monthly digest, the sweep."""

from datetime import date

from celery.schedules import crontab
from django.conf import settings
from django.core import mail

from coalition import mail as outbox
from reports import services
from reports.models import ReportRequest


def test_beat_schedule_has_the_report_jobs():
    schedule = settings.CELERY_BEAT_SCHEDULE
    annual = schedule["reports-annual"]
    assert annual["task"] == "reports.tasks.build_previous_year_annual_reports"
    assert isinstance(annual["schedule"], crontab)
    assert annual["schedule"].month_of_year == {1} and annual["schedule"].day_of_month == {15}
    assert schedule["reports-monthly-digest"]["schedule"].day_of_month == {1}
    assert schedule["reports-sweep"]["task"] == "reports.tasks.sweep_stale_builds"
    from coalition.celery import app

    app.loader.import_default_modules()
    for entry in schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_previous_year_annual_report_is_queued_once_in_every_language(world):
    assert services.build_annual_reports(year=2024) == 6
    assert services.build_annual_reports(year=2024) == 0
    rows = ReportRequest.objects.filter(kind="annual", year=2024)
    assert sorted(rows.values_list("language", flat=True)) == ["ar", "en", "es", "fr", "ru", "zh-hans"]
    assert all(r.requested_by is None for r in rows)
    services.build_report(report_id=rows.get(language="en").pk)
    assert services.build_annual_reports(year=2024) == 0  # built already


def test_monthly_digest_goes_to_the_secretariat_once(world):
    # 20 November 2025: Germany's membership ends on 1 January 2026, within the digest's two months.
    outbox.deliver_due()  # what building the world queued
    mail.outbox.clear()
    assert services.send_monthly_digest(today=date(2025, 11, 20)) == 1
    assert services.send_monthly_digest(today=date(2025, 11, 28)) == 0
    assert outbox.deliver_due() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [settings.SECRETARIAT_EMAIL] and "November 2025" in message.subject
    ending = message.body[message.body.index("Memberships ending"):message.body.index("Overdue progress reports")]
    assert "Germany" in ending
    assert services.send_monthly_digest(today=date(2025, 12, 1)) == 1
