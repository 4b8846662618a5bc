"""Builds through real Celery workers: an in-thread one, and worker processes that get killed mid-build."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from coalition import local_servers
from reports import services
from reports.models import ReportRequest, reports_root
from tests.factories import StaffFactory, member

Status = ReportRequest.Status
BASE_DIR = Path(__file__).resolve().parents[2]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")


def status_of(report) -> ReportRequest:
    return ReportRequest.objects.get(pk=report.pk)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_is_built_by_the_worker_and_the_requester_is_mailed(celery_worker):
    staff = StaffFactory(email="asker@example.org")
    kz = member("KZ").country
    report, _ = services.request_report(kind="certificate", country=kz, language="en", by=staff)
    done = wait_for(lambda: (r := status_of(report)).status in (Status.READY, Status.FAILED) and r, 60, "the build")
    assert done.status == Status.READY, done.failure_reason
    assert done.pages == 1 and done.attempts == 1
    wait_for(lambda: mail.outbox, 10, "the e-mail")
    assert mail.outbox[0].to == ["asker@example.org"] and f"/reports/{report.pk}/" in mail.outbox[0].body


# --- Killed workers -------------------------------------------------------------------------------------


class Worker:
    """``celery worker`` as a process of its own (prefork, one child), on the test database and broker."""

    def __init__(self, name: str, log: Path, **extra_env: str):
        db = dict(settings.DATABASES["default"])
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "coalition.settings",
            "DATABASE_URL": local_servers.database_url(db),
            "REDIS_URL": settings.REDIS_URL,
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "0",
            "EMAIL_URL": "memorymail://",
            "COALITION_DATA_DIR": str(log.parent / "data"),
            "REPORTS_ROOT": str(reports_root()),
            # Test hook: each build waits this long before rendering, so there is time to kill it.
            "REPORTS_BUILD_PAUSE_SECONDS": "3",
            **extra_env,
        }
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "coalition", "worker", "--pool=prefork", "--concurrency=1",
             "-l", "info", "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )

    def kill_everything(self):
        """As a machine losing power: the main process and its child at once."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill_everything()


def _building(report):
    r = status_of(report)
    return r if r.status == Status.BUILDING and r.worker else None


def _child_pid(report_row) -> int:
    return int(report_row.worker.rsplit(":", 1)[1])


@pytest.fixture
def fresh_queue():
    from coalition.celery import app

    app.control.purge()  # messages left by other tests of this run (their e-mails) are not ours to run
    yield


@pytest.mark.worker_process
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_killing_the_worker_child_mid_build_redelivers_and_the_build_completes(tmp_path, fresh_queue):
    staff = StaffFactory()
    kz = member("KZ").country
    report, _ = services.request_report(kind="profile", country=kz, language="ru", by=staff)
    worker = Worker("reports-a", tmp_path / "worker-a.log")
    try:
        building = wait_for(lambda: _building(report), 30, "the build to start")
        first_child = _child_pid(building)
        assert first_child != worker.process.pid
        os.kill(first_child, signal.SIGKILL)
        # acks_late + reject_on_worker_lost: the message goes back to the queue, a new child takes it
        # over (the dead child's advisory lock went with its connection).
        done = wait_for(lambda: (r := status_of(report)).status in (Status.READY, Status.FAILED) and r, 40,
                        "the redelivered build")
        assert done.status == Status.READY, (done.failure_reason, worker.log.read_text()[-3000:])
        assert done.attempts == 2 and _child_pid(done) != first_child
    finally:
        worker.stop()


@pytest.mark.worker_process
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_killing_the_whole_worker_mid_build_is_recovered_by_the_sweep_and_a_second_worker(tmp_path, fresh_queue):
    staff = StaffFactory()
    kz = member("KZ").country
    report, _ = services.request_report(kind="certificate", country=kz, language="fr", by=staff)
    first = Worker("reports-b", tmp_path / "worker-b.log")
    second = None
    try:
        wait_for(lambda: _building(report), 30, "the build to start")
        first.kill_everything()
        # The message is unacknowledged on a dead consumer: the broker would hand it out again only
        # after its visibility timeout (hours). The row says 'building' but nobody holds its lock.
        assert status_of(report).status == Status.BUILDING
        counts = wait_for(lambda: (c := services.sweep_stale_builds())["requeued"] and c, 15, "the sweep")
        assert counts["requeued"] == 1 and status_of(report).status == Status.QUEUED
        second = Worker("reports-c", tmp_path / "worker-c.log")
        done = wait_for(lambda: (r := status_of(report)).status in (Status.READY, Status.FAILED) and r, 40,
                        "the second worker's build")
        assert done.status == Status.READY, (done.failure_reason, second.log.read_text()[-3000:])
        assert done.attempts == 2 and done.pages == 1
    finally:
        first.kill_everything()
        if second is not None:
            second.stop()
