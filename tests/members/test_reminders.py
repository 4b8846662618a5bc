"""Reminders: each one exactly once per term and kind, never after what it warns about."""

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection

from coalition import mail
from coalition.models import OutgoingMail
from members import services
from members.models import Reminder
from tests.factories import member

pytestmark = pytest.mark.django_db

# Term 1: 2022-09-15 .. 2027-09-15; notice deadline 2027-03-15; nine months before the end 2026-12-15;
# last call from 2027-02-15.
SINCE = date(2022, 9, 15)


@pytest.fixture
def membership():
    with time_machine.travel(date(2026, 11, 28), tick=False):
        return member("KZ", since=SINCE, contact_email="focal@health.kz", contact_language="en")


def run(day):
    """The daily job on ``day``; returns the e-mails it queued, which the outbox then sends."""
    with time_machine.travel(day, tick=False):
        services.renew_due_memberships(today=day)
        queued = services.send_due_reminders(today=day)
        mail.deliver_due()
        return queued


def test_nothing_is_sent_before_nine_months(membership, mailoutbox):
    assert run(date(2026, 12, 14)) == 0
    assert mailoutbox == []


def test_nine_month_reminder_is_sent_once_to_contact_with_secretariat_in_copy(membership, mailoutbox, settings):
    assert run(date(2026, 12, 15)) == 1
    assert run(date(2026, 12, 15)) == 0
    assert run(date(2026, 12, 16)) == 0
    [mail] = mailoutbox
    assert mail.to == ["focal@health.kz"] and mail.cc == [settings.SECRETARIAT_EMAIL]
    assert "15 Sep 2027" in mail.body and "15 Mar 2027" in mail.body
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.status, reminder.recipients) == ("renewal_ahead", "sent", "focal@health.kz")


def test_last_call_one_month_before_the_deadline(membership, mailoutbox):
    run(date(2026, 12, 15))
    assert run(date(2027, 2, 14)) == 0
    assert run(date(2027, 2, 15)) == 1
    assert "last reminder" in mailoutbox[-1].body
    assert run(date(2027, 3, 1)) == 0


def test_missed_reminders_are_still_sent_before_the_deadline(membership, mailoutbox):
    # The daily job did not run for months: both reminders are still useful on 1 March.
    assert run(date(2027, 3, 1)) == 2
    assert {r.kind for r in Reminder.objects.all()} == {"renewal_ahead", "last_call"}


def test_missed_reminders_are_never_sent_after_the_deadline(membership, mailoutbox):
    assert run(date(2027, 3, 16)) == 0
    assert mailoutbox == []


def test_a_queued_reminder_becomes_obsolete_once_its_moment_has_passed(membership, mailoutbox):
    Reminder.objects.create(membership=membership, term=membership.terms.get(), kind="last_call")
    assert run(date(2027, 3, 16)) == 0
    assert Reminder.objects.get().status == "obsolete"


def test_no_renewal_reminders_after_notice(membership, mailoutbox):
    with time_machine.travel(date(2026, 12, 1), tick=False):
        services.give_notice(membership=membership, received_on=date(2026, 12, 1))
    assert run(date(2026, 12, 15)) == 1  # only the confirmation of the notice
    assert "will not be renewed" in mailoutbox[0].body
    assert not Reminder.objects.filter(kind__in=["renewal_ahead", "last_call"]).exists()


def test_termination_reminder_one_month_before_the_end(membership, mailoutbox):
    with time_machine.travel(date(2026, 12, 1), tick=False):
        services.give_notice(membership=membership, received_on=date(2026, 12, 1))
    run(date(2026, 12, 1))
    assert run(date(2027, 8, 14)) == 0
    assert run(date(2027, 8, 15)) == 1
    assert "ends on 15 Sep 2027" in mailoutbox[-1].subject
    assert run(date(2027, 8, 20)) == 0


def test_withdrawn_notice_cancels_its_pending_reminders(membership, mailoutbox):
    with time_machine.travel(date(2026, 12, 1), tick=False):
        services.give_notice(membership=membership, received_on=date(2026, 12, 1))
        services.withdraw_notice(membership=membership, on=date(2026, 12, 1))
    assert run(date(2026, 12, 1)) == 1  # the withdrawal's confirmation, not the notice's
    assert Reminder.objects.get(kind="notice_recorded").status == "obsolete"
    [confirmation] = mailoutbox
    assert "withdrawal of the notice" in confirmation.subject and "renews automatically" in confirmation.body


def test_withdrawing_a_notice_cancels_its_messages_still_in_the_outbox(membership, mailoutbox, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def broken(self, messages):
        raise ConnectionError("SMTP server down")

    with time_machine.travel(date(2026, 12, 1), tick=False):
        services.give_notice(membership=membership, received_on=date(2026, 12, 1))
    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    assert run(date(2026, 12, 1)) == 1  # the notice's confirmation is queued; its first attempt fails
    assert OutgoingMail.objects.get().status == "queued"
    monkeypatch.undo()
    with time_machine.travel(date(2026, 12, 2), tick=False):
        services.withdraw_notice(membership=membership, on=date(2026, 12, 2))
        assert mail.deliver_due() == 0
    assert OutgoingMail.objects.get().status == "cancelled"
    assert mailoutbox == []


def test_renewal_is_announced_with_the_new_dates(membership, mailoutbox):
    assert run(date(2027, 9, 15)) == 1
    assert "from 15 Sep 2027 until 15 Sep 2032" in mailoutbox[-1].body
    assert run(date(2027, 9, 15)) == 0


def test_reminders_are_written_in_the_recipients_language(mailoutbox):
    with time_machine.travel(date(2026, 11, 28), tick=False):
        member("KZ", since=SINCE, contact_email="focal@health.kz", contact_language="ru")
    assert run(date(2026, 12, 15)) == 1
    assert "15 сентября 2027" in mailoutbox[0].body


def test_recipients_are_grouped_by_language(membership, mailoutbox, monkeypatch):
    from members import selectors

    monkeypatch.setattr(selectors, "reminder_recipients_of", lambda ms: {
        m.pk: [("focal@health.kz", "ru"), ("fp@health.kz", "en"), ("fp2@health.kz", "ru")] for m in ms})
    assert run(date(2026, 12, 15)) == 2
    assert sorted(tuple(m.to) for m in mailoutbox) == [("focal@health.kz", "fp2@health.kz"), ("fp@health.kz",)]


def test_a_failed_send_is_retried_by_the_outbox_and_the_reminder_is_not_queued_again(membership, mailoutbox,
                                                                                     monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def broken(self, messages):
        raise ConnectionError("SMTP server down")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    assert run(date(2026, 12, 15)) == 1
    assert mailoutbox == []
    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts, row.key) == ("queued", 1, f"members.reminder:{Reminder.objects.get().pk}:en")
    assert "SMTP server down" in row.last_error
    monkeypatch.undo()
    assert run(date(2026, 12, 16)) == 0  # the reminder was handed over once; its message is retried
    assert len(mailoutbox) == 1 and OutgoingMail.objects.get().status == "sent"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_daily_runs_send_each_reminder_once(mailoutbox):
    with time_machine.travel(date(2026, 11, 28), tick=False):
        for iso2 in ["KZ", "FR", "BR", "GH"]:
            member(iso2, since=SINCE)
    day = date(2026, 12, 15)
    results, errors = [], []
    barrier = threading.Barrier(4)

    def job():
        try:
            barrier.wait()
            results.append(services.send_due_reminders(today=day))
            mail.deliver_due()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(results) == 4
    assert len(mailoutbox) == 4
    assert Reminder.objects.filter(status="sent").count() == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_daily_task_runs_through_a_real_worker(celery_worker, mailoutbox):
    from members.tasks import run_daily_membership_jobs

    with time_machine.travel(date(2026, 11, 28), tick=False):
        member("KZ", since=date(2021, 12, 1))
    with time_machine.travel(date(2026, 12, 1)):
        result = run_daily_membership_jobs.delay().get(timeout=30)
    assert result == {"terms_created": 1, "emails_sent": 1, "seat_reminders_sent": 0}
    mail.deliver_due()
    assert "renewed" in mailoutbox[0].subject


def test_a_day_of_reminders_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    """Queued in batches: the queries do not grow with the number of reminders (make bench: 10,000)."""
    for iso2 in ["KZ", "FR", "GH", "BR", "TH", "IN", "EG", "SN"]:
        member(iso2, since=SINCE)
    day = date(2026, 12, 15)
    with time_machine.travel(day, tick=False):
        from members import reminders

        reminders.queue_due(today=day)
        assert Reminder.objects.filter(status=Reminder.Status.PENDING).count() == 8
        with django_assert_max_num_queries(12):
            assert reminders.deliver_pending(today=day) == 8
    assert OutgoingMail.objects.count() == 8
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}

