"""Action items due within 14 days, and overdue ones, e-mailed to their owners exactly once per due date."""

import threading
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.db import connection
from django.utils import timezone

from coalition import mail
from coalition.models import OutgoingMail
from governance import services, tasks
from governance.models import ActionItem
from tests.governance.conftest import make_item
from tests.pledges.conftest import make_focal_point

pytestmark = pytest.mark.django_db


def rows(prefix="governance."):
    return list(OutgoingMail.objects.filter(key__startswith=prefix).order_by("key"))


def test_due_and_overdue_items_reach_the_owners_focal_points_in_their_language(kz, kz_focal_point, settings):
    english = make_focal_point(kz, language="en")
    today = timezone.localdate()
    due = make_item(owner_country=kz, due_on=today + timedelta(days=14), description="Draft the concept note.")
    late = make_item(owner_country=kz, due_on=today - timedelta(days=2), description="Send the survey.")
    make_item(owner_country=kz, due_on=today + timedelta(days=15))  # not yet
    done = make_item(owner_country=kz, due_on=today - timedelta(days=5))
    services.set_action_item_status(item=done, status=ActionItem.Status.DONE)
    secretariat = make_item(owner_country=None, due_on=today + timedelta(days=3), description="Book the room.")

    assert services.send_action_item_reminders(today=today) == 5
    got = {(r.key.split(":")[0], r.key.split(":")[1], r.language, tuple(r.to)) for r in rows()}
    assert got == {
        ("governance.action_due", str(due.pk), "ru", (kz_focal_point.email,)),
        ("governance.action_due", str(due.pk), "en", (english.email,)),
        ("governance.action_overdue", str(late.pk), "ru", (kz_focal_point.email,)),
        ("governance.action_overdue", str(late.pk), "en", (english.email,)),
        ("governance.action_due", str(secretariat.pk), "en", (settings.SECRETARIAT_EMAIL,)),
    }
    mail.deliver_due()
    sent = {m.to[0] + " " + m.subject: m.body for m in django_mail.outbox}
    overdue_en = sent[english.email + " Overdue: Core Group action item due on "
                      + late.due_on.strftime("%-d %b %Y")]
    assert "Send the survey." in overdue_en and "Kazakhstan" in overdue_en
    assert f"/en/core-group/meetings/{late.decision.meeting.event_id}/#decision-1" in overdue_en
    russian = [body for key, body in sent.items() if key.startswith(kz_focal_point.email)]
    assert len(russian) == 2 and all("/ru/core-group/meetings/" in body for body in russian)
    assert all("Казахстан" in body for body in russian)


def test_each_reminder_is_sent_once_and_again_for_a_new_due_date(kz, kz_focal_point):
    today = timezone.localdate()
    item = make_item(owner_country=kz, due_on=today + timedelta(days=10))
    assert services.send_action_item_reminders(today=today) == 1
    assert services.send_action_item_reminders(today=today) == 0
    assert services.send_action_item_reminders(today=today + timedelta(days=1)) == 0
    # The day after it was due, the overdue reminder, once.
    later = today + timedelta(days=11)
    assert services.send_action_item_reminders(today=later) == 1
    assert services.send_action_item_reminders(today=later + timedelta(days=3)) == 0
    # Given a new date, the item is reminded again when that date comes near.
    item.due_on = later + timedelta(days=5)
    services.save_action_item(item=item)
    assert services.send_action_item_reminders(today=later) == 1
    assert [r.key.split(":")[0] for r in rows()] == ["governance.action_due", "governance.action_due",
                                                    "governance.action_overdue"]


def test_items_of_countries_without_focal_points_and_finished_ones_send_nothing(kz):
    today = timezone.localdate()
    make_item(owner_country=kz, due_on=today)
    dropped = make_item(owner_country=kz, due_on=today)
    services.set_action_item_status(item=dropped, status=ActionItem.Status.DROPPED)
    assert services.send_action_item_reminders(today=today) == 0


def test_the_daily_task_sends_the_reminders(kz, kz_focal_point):
    make_item(owner_country=kz, due_on=timezone.localdate() + timedelta(days=1))
    assert tasks.send_action_item_reminders.apply().get() == 1
    assert tasks.send_action_item_reminders.apply().get() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_queue_each_reminder_once(kz, kz_focal_point):
    today = timezone.localdate()
    for n in range(5):
        make_item(owner_country=kz, due_on=today + timedelta(days=n), description=f"Item {n}")
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            counts.append(services.send_action_item_reminders(today=today))
        except Exception as exc:  # noqa: BLE001 - a thread's failure is reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    # The outbox's unique keys decide; what each run counts may overlap while both are inserting.
    assert OutgoingMail.objects.filter(key__startswith="governance.action_due").count() == 5
    assert len(counts) == 2
