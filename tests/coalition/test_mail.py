"""The outbox (coalition.mail): every e-mail exactly once by key, after commit, whatever fails."""

import ast
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail as django_mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from coalition import mail
from coalition.models import OutgoingMail
from members import services
from tests.coalition.backends import FLAKY, REFUSING, FlakyBackend, RefusingBackend
from tests.factories import StaffFactory, member

# Term 1 of every membership below: 2022-09-15 .. 2027-09-15; its nine-month reminder is due 2026-12-15.
SINCE = date(2022, 9, 15)
DAY = date(2026, 12, 15)
TEN = ["KZ", "FR", "BR", "GH", "DE", "IT", "ES", "JP", "CA", "MX"]


def _queue(n=0, **fields):
    fields = {"kind": "test/plain", "key": f"test:{n}", "to": [f"person{n}@example.org"], "language": "en",
              "subject": f"Message {n}", "body": "Hello.\n", **fields}
    return mail.queue_rendered(**fields)


def _sent_to(address):
    return [m for m in django_mail.outbox if address in m.to + m.cc]


@pytest.fixture(autouse=True)
def _clean_backends():
    FlakyBackend.reset()
    RefusingBackend.refused = set()
    yield
    FlakyBackend.reset()
    RefusingBackend.refused = set()


# --- Exactly once by key --------------------------------------------------------------------------


@pytest.mark.django_db
def test_queueing_the_same_key_twice_is_a_no_op():
    first = _queue(1)
    assert first is not None and first.status == "queued"
    assert _queue(1, subject="Another subject") is None
    assert mail.queue(kind="members/seat_ending", key="test:1", to=["x@example.org"], language="en",
                      context={}) is None  # not even rendered
    assert OutgoingMail.objects.get().subject == "Message 1"
    assert mail.deliver_due() == 1
    assert mail.deliver_due() == 0
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_a_message_is_sent_only_after_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _queue(1)
    assert django_mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert [m.subject for m in django_mail.outbox] == ["Message 1"]
    assert OutgoingMail.objects.get().status == "sent"


@pytest.mark.django_db
def test_rendered_in_the_recipients_language_from_the_one_template_convention():
    member("GH", since=date(2022, 3, 1))
    from members import core_group
    from members.models import Country

    seat = core_group.grant_seat(country=Country.objects.get(iso2="GH"), start=date(2024, 3, 1))
    row = mail.queue(kind="members/seat_ending", key="seat", to=["a@example.org"], language="fr",
                     context={"seat": seat, "country": seat.country}, about=seat)
    assert "Ghana" in row.subject and "\n" not in row.subject
    assert "1 mars 2027" in row.subject + row.body
    assert row.country == seat.country and row.about == seat and row.html_body == ""


def test_every_email_template_follows_the_convention():
    root = Path(settings.BASE_DIR) / "templates" / "emails"
    kinds = [d for d in root.glob("*/*") if d.is_dir()]
    assert len(kinds) >= 20
    for d in kinds:
        assert (d / "subject.txt").exists() and (d / "body.txt").exists(), d
    assert not list(Path(settings.BASE_DIR, "templates").glob("*/email/*.txt"))


# --- Faults stay with their row -----------------------------------------------------------------


@pytest.mark.django_db
def test_one_refused_address_among_ten_reminders_does_not_stop_the_nine_others(client):
    with time_machine.travel(date(2026, 11, 28), tick=False):
        for iso2 in TEN:
            member(iso2, since=SINCE, contact_email=f"contact@{iso2.lower()}.example.org", contact_language="en")
    RefusingBackend.refused = {"contact@gh.example.org"}
    with override_settings(EMAIL_BACKEND=REFUSING), time_machine.travel(DAY, tick=False):
        assert services.send_due_reminders(today=DAY) == 10
        assert mail.deliver_due() == 9
    assert len(django_mail.outbox) == 9 and not _sent_to("contact@gh.example.org")
    failed = OutgoingMail.objects.get(status="failed")
    # A refusal is permanent: failed at the first attempt, not retried.
    assert failed.to == ["contact@gh.example.org"] and failed.attempts == 1 and "550" in failed.last_error
    assert failed.country.iso2 == "GH" and failed.about.country.iso2 == "GH"

    # The secretariat sees it in the admin, corrects the address and sends it again.
    client.force_login(StaffFactory())
    page = client.get("/en/admin/coalition/outgoingmail/", {"status__exact": "failed"}).content.decode()
    assert "contact@gh.example.org" in page and "contact@kz.example.org" not in page
    url = f"/en/admin/coalition/outgoingmail/{failed.pk}/change/"
    change = client.get(url).content.decode()
    assert 'name="_send_again"' in change and 'name="to"' in change and 'name="subject"' not in change
    response = client.post(url, {"to": "ama@health.gh", "cc": settings.SECRETARIAT_EMAIL, "_send_again": "1"})
    assert response.status_code == 302
    with override_settings(EMAIL_BACKEND=REFUSING):
        assert mail.deliver_due() == 1
        assert mail.deliver_due() == 0
    assert len(_sent_to("ama@health.gh")) == 1 and len(django_mail.outbox) == 10
    failed.refresh_from_db()
    assert failed.status == "sent" and failed.to == ["ama@health.gh"]
    assert not mail.send_again(mail=failed)  # a sent message is not sent again


@pytest.mark.django_db
def test_a_reminder_in_two_languages_whose_second_message_fails_twice_reaches_each_recipient_once(monkeypatch):
    from members import selectors

    with time_machine.travel(date(2026, 11, 28), tick=False):
        member("KZ", since=SINCE)
    monkeypatch.setattr(selectors, "reminder_recipients_of", lambda ms: {
        m.pk: [("en@kz.example.org", "en"), ("ru@kz.example.org", "ru")] for m in ms})
    FlakyBackend.reset(failures={"ru@kz.example.org": 2})
    with override_settings(EMAIL_BACKEND=FLAKY), time_machine.travel(DAY, tick=False):
        assert services.send_due_reminders(today=DAY) == 2
        now = timezone.now()
        assert mail.deliver_due(now) == 1  # English out, Russian failed once
        russian = OutgoingMail.objects.get(language="ru")
        assert (russian.status, russian.attempts) == ("queued", 1)
        assert russian.next_attempt_at == russian.next_attempt_at and russian.next_attempt_at > now
        assert mail.deliver_due(now) == 0  # not due before its backoff
        assert services.send_due_reminders(today=DAY) == 0  # a second daily run queues nothing
        assert mail.deliver_due(now + timedelta(minutes=2)) == 0  # fails again
        assert mail.deliver_due(now + timedelta(hours=1)) == 1
        assert mail.deliver_due(now + timedelta(days=1)) == 0
    assert len(_sent_to("en@kz.example.org")) == 1 and len(_sent_to("ru@kz.example.org")) == 1
    assert "15 сентября 2027" in _sent_to("ru@kz.example.org")[0].body
    assert FlakyBackend.attempts.count(("en@kz.example.org",)) == 1
    assert FlakyBackend.attempts.count(("ru@kz.example.org",)) == 3
    assert OutgoingMail.objects.filter(status="sent").count() == 2


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND=FLAKY, MAIL_MAX_ATTEMPTS=3)
def test_temporary_failures_back_off_and_stop_after_the_bounded_number_of_attempts():
    FlakyBackend.reset(failures={"person1@example.org": 10})
    row = _queue(1)
    now = timezone.now()
    delays = []
    for attempt in range(1, 4):
        assert mail.deliver_due(now + timedelta(days=attempt)) == 0
        row.refresh_from_db()
        assert row.attempts == attempt
        if row.next_attempt_at:
            delays.append(row.next_attempt_at)
    assert row.status == "failed" and "Connection unexpectedly closed" in row.last_error
    assert mail.retry_delay(1) < mail.retry_delay(2) < mail.retry_delay(3)
    assert mail.deliver_due(now + timedelta(days=30)) == 0


@pytest.mark.django_db
def test_a_5xx_answer_fails_at_once_and_a_4xx_refusal_is_retried():
    import smtplib

    assert mail.is_permanent(smtplib.SMTPDataError(554, b"Transaction failed"))
    assert mail.is_permanent(smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no")}))
    assert not mail.is_permanent(smtplib.SMTPRecipientsRefused({"a@example.org": (450, b"busy")}))
    assert not mail.is_permanent(smtplib.SMTPServerDisconnected("gone"))
    assert not mail.is_permanent(ConnectionRefusedError())


# --- Workers: concurrent, killed, broker down ---------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_concurrent_runs_over_fifty_queued_messages_send_each_once(monkeypatch):
    monkeypatch.setattr(mail, "_enqueue", lambda pk: None)  # nothing sent at queue time: all four runs race
    for n in range(50):
        _queue(n)
    FlakyBackend.reset(delay=0.005)
    results, errors = [], []
    barrier = threading.Barrier(4)

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(mail.deliver_due())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    with override_settings(EMAIL_BACKEND=FLAKY):
        threads = [threading.Thread(target=run) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert sum(results) == 50 and len(results) == 4
    assert len(django_mail.outbox) == 50 and len({m.subject for m in django_mail.outbox}) == 50
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {("sent", 1)}


@pytest.mark.django_db
def test_a_row_left_sending_by_a_killed_worker_is_sent_later_by_the_sweep_once():
    row = _queue(1)
    now = timezone.now()
    assert mail._claim(row.pk, now=now) is not None  # the worker claimed it, then was killed
    row.refresh_from_db()
    assert row.status == "sending"
    assert mail.deliver_due() == 0  # not queued: nobody else sends it meanwhile
    assert mail.sweep(now) == {"taken_back": 0, "sent": 0}  # it may still be sending
    later = now + timedelta(seconds=settings.MAIL_SENDING_TIMEOUT + 1)
    assert mail.sweep(later) == {"taken_back": 1, "sent": 1}
    assert mail.sweep(later + timedelta(minutes=5)) == {"taken_back": 0, "sent": 0}
    assert len(django_mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)


@pytest.mark.real_worker  # keeps the real hand-off to the broker, which is made to fail here
@pytest.mark.django_db
def test_a_message_the_broker_did_not_take_is_sent_by_the_sweep(monkeypatch, django_capture_on_commit_callbacks):
    class BrokerDown:
        def send_task(self, *args, **kwargs):
            raise ConnectionRefusedError("Redis is down")

    monkeypatch.setattr(mail, "current_app", BrokerDown())
    with django_capture_on_commit_callbacks(execute=True):
        _queue(1)
    assert django_mail.outbox == [] and OutgoingMail.objects.get().status == "queued"
    assert mail.sweep()["sent"] == 1
    assert len(django_mail.outbox) == 1


class SilentMailServer:
    """Accepts connections and never answers: a worker sending through it hangs in the middle of sending."""

    def __init__(self):
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        try:
            while True:
                self.held.append(self.sock.accept()[0])
        except OSError:
            return

    def close(self):
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.mark.worker_process
@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_process_killed_while_sending_leaves_the_row_to_the_sweep_which_sends_it_once(tmp_path):
    from coalition.celery import app
    from tests.reports.test_worker import Worker, wait_for

    app.control.purge()  # messages left by other tests are not this worker's to run
    server = SilentMailServer()
    worker = Worker("mail-a", tmp_path / "worker.log", EMAIL_URL=f"smtp://127.0.0.1:{server.port}")
    try:
        row = _queue(1)  # committed at once: handed to the worker process through the broker
        wait_for(lambda: OutgoingMail.objects.get(pk=row.pk).status == "sending", 60, "the worker to claim it")
        wait_for(lambda: server.held, 10, "the worker to reach the mail server")
        worker.kill_everything()
    finally:
        worker.kill_everything()
        server.close()
    row.refresh_from_db()
    assert (row.status, row.attempts, django_mail.outbox) == ("sending", 1, [])
    assert mail.sweep()["sent"] == 0  # the worker might still be sending: not before the timeout
    later = timezone.now() + timedelta(seconds=settings.MAIL_SENDING_TIMEOUT + 1)
    assert mail.sweep(later) == {"taken_back": 1, "sent": 1}
    assert mail.deliver_one(row.pk) == 0 and mail.sweep(later)["sent"] == 0  # a late redelivery sends nothing
    assert [m.to for m in django_mail.outbox] == [["person1@example.org"]]
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)


def test_the_tasks_are_safe_against_killed_workers_and_the_sweep_is_scheduled():
    from coalition import tasks

    task = tasks.send_outgoing_mail
    assert task.acks_late and task.reject_on_worker_lost
    assert task.time_limit == settings.MAIL_TASK_TIME_LIMIT < settings.MAIL_SENDING_TIMEOUT
    assert task.name == mail.SEND_TASK
    assert any(e["task"] == "coalition.tasks.sweep_outgoing_mail" for e in settings.CELERY_BEAT_SCHEDULE.values())


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_queued_message_is_sent_by_a_real_worker(celery_worker):
    import time

    _queue(1)
    deadline = time.monotonic() + 20
    while not django_mail.outbox and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [m.subject for m in django_mail.outbox] == ["Message 1"]
    assert OutgoingMail.objects.get().status == "sent"


# --- The admin ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_lists_filters_and_searches_and_hides_secret_links(client):
    from members.models import Country

    gh = Country.objects.get(iso2="GH")
    _queue(1, to=["ama@health.gh"], country=gh)
    _queue(2, to=["someone@example.org"], body="Reset: https://x/reset/key/SECRET/\n", sensitive=True)
    mail.deliver_due()
    client.force_login(StaffFactory())
    base = "/en/admin/coalition/outgoingmail/"
    assert "ama@health.gh" in client.get(base, {"q": "health.gh"}).content.decode()
    assert "someone@example.org" not in client.get(base, {"q": "health.gh"}).content.decode()
    page = client.get(base, {"country__id__exact": gh.pk}).content.decode()
    assert "ama@health.gh" in page and "someone@example.org" not in page
    sent = OutgoingMail.objects.get(key="test:1")
    change = client.get(f"{base}{sent.pk}/change/").content.decode()
    assert "Hello." in change and 'name="to"' not in change and "_send_again" not in change  # read-only
    secret = OutgoingMail.objects.get(key="test:2")
    assert secret.body == ""  # erased once sent
    change = client.get(f"{base}{secret.pk}/change/").content.decode()
    assert "SECRET" not in change and "Not shown" in change
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{secret.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.django_db
def test_the_membership_page_lists_the_mail_sent_about_it(client):
    with time_machine.travel(date(2026, 11, 28), tick=False):
        m = member("KZ", since=SINCE, contact_email="focal@health.kz")
    with time_machine.travel(DAY, tick=False):
        services.send_due_reminders(today=DAY)
        mail.deliver_due()
    client.force_login(StaffFactory())
    page = client.get(f"/en/admin/members/membership/{m.pk}/change/").content.decode()
    assert "focal@health.kz" in page and "members/renewal_ahead" in page


@pytest.mark.django_db
def test_the_registration_and_pledge_pages_list_the_mail_sent_about_them(client, django_capture_on_commit_callbacks):
    from events import services as events
    from tests.events.conftest import make_event
    from tests.pledges.conftest import make_focal_point, publish

    kz = member("KZ", since=timezone.localdate() - timedelta(days=365)).country
    focal_point = make_focal_point(kz, email="fp@kz.example.org", language="ru")
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = events.register(event=make_event(), name="Ana Lopez", email="ana@example.org")
        pledge = publish(kz, focal_point, staff)
    client.force_login(staff)
    page = client.get(f"/en/admin/events/registration/{registration.pk}/change/").content.decode()
    assert "ana@example.org" in page and "events/confirmed" in page
    page = client.get(f"/en/admin/pledges/pledge/{pledge.pk}/change/").content.decode()
    assert "pledges/pledge_published" in page and "fp@kz.example.org" in page


# --- Nothing else sends mail -----------------------------------------------------------------------

MAIL_CALLS = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers", "get_connection", "EmailMessage",
              "EmailMultiAlternatives", "send_messages"}


def _mail_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (
            node.module.startswith("django.core.mail") or (node.module == "django.core"
                                                           and any(a.name == "mail" for a in node.names))
        ):
            found.append(f"{path}:{node.lineno} imports django.core.mail")
        elif isinstance(node, ast.Import) and any(a.name.startswith("django.core.mail") for a in node.names):
            found.append(f"{path}:{node.lineno} imports django.core.mail")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in MAIL_CALLS:
                found.append(f"{path}:{node.lineno} calls {name}()")
    return found


def test_no_module_but_the_outbox_calls_djangos_mail_functions():
    base = Path(settings.BASE_DIR)
    skip = {".venv", "tests", "node_modules", ".data", "test-output"}
    files = [p for p in base.rglob("*.py") if not skip & set(p.relative_to(base).parts)]
    assert len(files) > 50
    uses = [use for p in files if p != base / "coalition" / "mail.py" for use in _mail_uses(p)]
    assert uses == [], "Send e-mail through coalition.mail.queue():\n" + "\n".join(uses)
    # The check itself sees what it looks for.
    assert _mail_uses(base / "coalition" / "mail.py")
