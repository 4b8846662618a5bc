from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from coalition import mail as outbox
from members import dates
from pledges import selectors, services, tasks
from pledges.models import CommitmentProgress, ProgressReport, Reminder
from tests.pledges.conftest import entries_for, make_focal_point, publish

pytestmark = pytest.mark.django_db


def test_progress_report_workflow(kz, kz_fp, secretariat, django_capture_on_commit_callbacks):
    pledge = publish(kz, kz_fp, secretariat)
    report = services.start_progress_report(pledge=pledge, by=kz_fp)
    published_on = pledge.published_at.date()
    assert report.year == published_on.year + 1
    assert report.due_on == dates.years_after(published_on, 1)
    assert report.entries.count() == 2
    # Starting again reopens the same draft.
    assert services.start_progress_report(pledge=pledge, by=kz_fp) == report

    services.save_progress_draft(report=report, by=kz_fp, entries=entries_for(report, narrative=""))
    with pytest.raises(ValidationError) as error:
        services.submit_progress_report(report=report, by=kz_fp)
    assert error.value.messages == ["Commitment 1 needs a narrative.", "Commitment 2 needs a narrative."]

    services.save_progress_draft(report=report, by=kz_fp, entries=entries_for(report))
    with django_capture_on_commit_callbacks(execute=True):
        report = services.submit_progress_report(report=report, by=kz_fp)
    assert report.status == ProgressReport.Status.SUBMITTED and report.submitted_by == kz_fp
    assert mail.outbox[-1].to == [settings.SECRETARIAT_EMAIL]

    with django_capture_on_commit_callbacks(execute=True):
        report = services.return_progress_report(report=report, by=secretariat, comment="Give the source.")
    assert report.is_returned and mail.outbox[-1].to == [kz_fp.email]
    report = services.submit_progress_report(report=report, by=kz_fp)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.publish_progress_report(report=report, by=secretariat)
    assert report.status == ProgressReport.Status.PUBLISHED and report.published_by == secretariat
    assert selectors.latest_published_report(pledge) == report
    # The published year is filed: the next report is due a year later.
    assert selectors.next_report(pledge, today=timezone.localdate())[0] == report.year + 1


def test_progress_refusals(kz, kz_fp, fr_fp, secretariat):
    pledge = services.start_pledge(country=kz, by=kz_fp)
    with pytest.raises(ValidationError, match="it is draft"):
        services.start_progress_report(pledge=pledge, by=kz_fp)
    pledge.delete()
    pledge = publish(kz, kz_fp, secretariat)
    with pytest.raises(ValidationError, match="focal point of Kazakhstan"):
        services.start_progress_report(pledge=pledge, by=fr_fp)
    report = services.start_progress_report(pledge=pledge, by=kz_fp)
    with pytest.raises(ValidationError, match="focal point of Kazakhstan"):
        services.save_progress_draft(report=report, by=fr_fp, entries=entries_for(report))
    with pytest.raises(ValidationError, match="Unknown completion"):
        services.save_progress_draft(report=report, by=kz_fp, entries=entries_for(report, completion="great"))
    with pytest.raises(ValidationError, match="it is draft"):
        services.publish_progress_report(report=report, by=secretariat)
    services.save_progress_draft(report=report, by=kz_fp, entries=entries_for(report))
    services.submit_progress_report(report=report, by=kz_fp)
    with pytest.raises(ValidationError, match="secretariat staff"):
        services.publish_progress_report(report=report, by=kz_fp)
    with pytest.raises(ValidationError, match="Say what"):
        services.return_progress_report(report=report, by=secretariat, comment="")
    with pytest.raises(ValidationError, match="submitted"):
        services.save_progress_draft(report=report, by=kz_fp, entries=entries_for(report))
    assert set(CommitmentProgress.objects.values_list("completion", flat=True)) == {"substantial"}


def test_report_due_reminder_is_sent_once_in_each_language(kz, kz_fp, secretariat, time_machine):
    make_focal_point(kz, email="second@kz.example.org", language="en")
    pledge = publish(kz, kz_fp, secretariat)
    outbox.deliver_due()
    mail.outbox.clear()
    year, due_on = selectors.next_report(pledge, today=timezone.localdate())
    time_machine.move_to(due_on - timedelta(days=31))
    assert tasks.run_daily_pledge_jobs() == {"emails_sent": 0}
    time_machine.move_to(due_on - timedelta(days=30))
    result = tasks.run_daily_pledge_jobs()
    assert outbox.deliver_due() == 2
    # Focal points write in Russian and English, the letter's contact in English: two e-mails.
    assert result == {"emails_sent": 2}
    russian = next(m for m in mail.outbox if m.to == [kz_fp.email])
    assert "/ru/dashboard/" in russian.body and russian.cc == [settings.SECRETARIAT_EMAIL]
    english = next(m for m in mail.outbox if kz_fp.email not in m.to)
    assert sorted(english.to) == ["contact@kz.example.org", "second@kz.example.org"]
    assert str(year) in english.subject
    # Running again, the next day or twice the same day, sends nothing more.
    assert tasks.run_daily_pledge_jobs() == {"emails_sent": 0}
    time_machine.move_to(due_on - timedelta(days=29))
    assert tasks.run_daily_pledge_jobs() == {"emails_sent": 0}
    reminder = Reminder.objects.get()
    assert reminder.status == Reminder.Status.SENT and reminder.key_date == due_on


def test_report_due_reminder_becomes_obsolete_once_the_report_is_filed(kz, kz_fp, secretariat, time_machine):
    pledge = publish(kz, kz_fp, secretariat)
    _year, due_on = selectors.next_report(pledge, today=timezone.localdate())
    time_machine.move_to(due_on - timedelta(days=20))
    from pledges import reminders

    reminders.queue_report_due(today=timezone.localdate())
    report = services.start_progress_report(pledge=pledge, by=kz_fp)
    services.save_progress_draft(report=report, by=kz_fp, entries=entries_for(report))
    services.submit_progress_report(report=report, by=kz_fp)
    mail.outbox.clear()
    assert reminders.deliver_pending(today=timezone.localdate()) == 0
    assert Reminder.objects.get().status == Reminder.Status.OBSOLETE
    assert mail.outbox == []


def test_weekly_digest_lists_overdue_reports_once_a_week(kz, kz_fp, fr, fr_fp, secretariat, time_machine):
    late = publish(kz, kz_fp, secretariat)
    publish(fr, fr_fp, secretariat)
    _year, due_on = selectors.next_report(late, today=timezone.localdate())
    time_machine.move_to(due_on + timedelta(days=3))
    fr_pledge = fr.pledges.get()
    report = services.start_progress_report(pledge=fr_pledge, by=fr_fp)
    services.save_progress_draft(report=report, by=fr_fp, entries=entries_for(report))
    services.submit_progress_report(report=report, by=fr_fp)
    outbox.deliver_due()
    mail.outbox.clear()
    assert tasks.send_overdue_digest() == 1
    assert outbox.deliver_due() == 1
    digest = mail.outbox[0]
    assert digest.to == [settings.SECRETARIAT_EMAIL]
    assert "Kazakhstan" in digest.body and "France" not in digest.body
    assert tasks.send_overdue_digest() == 0
    time_machine.move_to(due_on + timedelta(days=10))
    assert tasks.send_overdue_digest() == 1
    assert Reminder.objects.filter(kind=Reminder.Kind.OVERDUE_DIGEST, status=Reminder.Status.SENT).count() == 2


def test_no_digest_when_nothing_is_overdue(kz, kz_fp, secretariat):
    publish(kz, kz_fp, secretariat)
    assert tasks.send_overdue_digest() == 0
    assert all(m.to != [settings.SECRETARIAT_EMAIL] for m in mail.outbox)
    assert Reminder.objects.get().status == Reminder.Status.OBSOLETE


def test_beat_schedules_the_pledge_tasks():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"pledges.tasks.run_daily_pledge_jobs", "pledges.tasks.send_overdue_digest"} <= tasks_scheduled
