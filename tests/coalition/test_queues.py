"""E-mail, reports and the rest on separate Celery queues, with a worker slot kept for e-mail."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from coalition import local_servers, mail
from coalition.celery import WORKERS, app
from coalition.models import OutgoingMail
from reports import services
from reports.models import ReportRequest, reports_root
from tests.factories import StaffFactory, member
from tests.reports.test_worker import wait_for

BASE_DIR = Path(__file__).resolve().parents[2]
BUILD_PAUSE_SECONDS = 40


def test_mail_and_report_builds_are_routed_to_their_own_queues():
    def queue_of(task_name):
        return app.amqp.router.route({}, task_name)["queue"].name

    assert queue_of("coalition.tasks.send_outgoing_mail") == "mail"
    assert queue_of("coalition.tasks.sweep_outgoing_mail") == "mail"
    assert queue_of("reports.tasks.build_report") == "reports"
    assert queue_of("members.tasks.run_daily_membership_jobs") == "default"
    # A worker started without -Q (as the test workers are) consumes all of them.
    assert set(app.amqp.queues) == {"default", "mail", "reports"}


def test_one_worker_takes_only_mail_and_the_other_takes_everything_make_run_and_compose_agree():
    queues = {name: args[args.index("-Q") + 1].split(",") for name, args in WORKERS.items()}
    assert queues["mail-worker"] == ["mail"]
    assert set(queues["worker"]) == {"default", "reports", "mail"}
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    for args in WORKERS.values():
        assert " ".join(f'"{a}"' for a in args).replace('" "', '", "') in compose


class _Worker:
    """One of WORKERS as a process of its own, on the test database and broker."""

    def __init__(self, name: str, log: Path):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "coalition.settings",
            "DATABASE_URL": local_servers.database_url(dict(settings.DATABASES["default"])),
            "REDIS_URL": settings.REDIS_URL,
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "0",
            "EMAIL_URL": "memorymail://",
            "COALITION_DATA_DIR": str(log.parent / "data"),
            "REPORTS_ROOT": str(reports_root()),
            # Test hook: each build waits this long before rendering, as a long annual report would.
            "REPORTS_BUILD_PAUSE_SECONDS": str(BUILD_PAUSE_SECONDS),
        }
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "coalition", "worker", "-l", "info", *WORKERS[name],
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


def _building(*reports):
    rows = ReportRequest.objects.filter(pk__in=[r.pk for r in reports], status=ReportRequest.Status.BUILDING)
    return rows.count() == len(reports)


@pytest.mark.worker_process
@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_email_queued_behind_long_report_builds_is_sent_within_seconds(tmp_path):
    app.control.purge()  # messages left by other tests of this run are not ours to run
    staff = StaffFactory()
    kz = member("KZ").country
    # Two builds: every slot of the general worker is taken.
    first, _ = services.request_report(kind="profile", country=kz, language="en", by=staff)
    second, _ = services.request_report(kind="certificate", country=kz, language="fr", by=staff)
    workers = [_Worker(name, tmp_path / f"{name}.log") for name in WORKERS]
    try:
        wait_for(lambda: _building(first, second), 90, "both builds to start")
        with transaction.atomic():  # committed: handed to the broker as a password reset would be
            row = mail.queue_rendered(kind="test/plain", key="test:reset", to=["fp@example.org"], language="en",
                                      subject="Reset your password", body="Hello.\n")
        queued_at = time.monotonic()
        wait_for(lambda: OutgoingMail.objects.get(pk=row.pk).status == OutgoingMail.Status.SENT, 10,
                 "the e-mail to be sent:\n" + "\n".join(w.log.read_text()[-2000:] for w in workers))
        took = time.monotonic() - queued_at
        # Sent while both builds still run: it did not wait for a report slot.
        assert _building(first, second), "a build finished first; the test proves nothing"
        assert took < 10
        assert "send_outgoing_mail" in (tmp_path / "mail-worker.log").read_text()
    finally:
        for worker in workers:
            worker.kill()
