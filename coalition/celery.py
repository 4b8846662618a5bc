import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")

app = Celery("coalition")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The workers of `make run` (coalition/management/commands/run_platform.py) and docker-compose.yml.
# The mail worker runs nothing but e-mail: its slot is free for a password reset however long a report
# build or a daily job takes on the other. The other also takes e-mail when it has a free slot, so a
# newsletter to every focal point is not sent by one slot alone.
WORKERS = {
    "worker": ["-Q", "default,reports,mail", "--concurrency", "2", "-n", "worker@%h"],
    "mail-worker": ["-Q", "mail", "--concurrency", "1", "-n", "mail@%h"],
}


def _connect_audit_signals():
    # A task acts under its own name in the audit log ("members.tasks.run_daily_membership_jobs").
    from celery.signals import task_postrun, task_prerun

    from coalition import audit

    task_prerun.connect(audit.task_started, weak=False, dispatch_uid="audit_task_started")
    task_postrun.connect(audit.task_finished, weak=False, dispatch_uid="audit_task_finished")


_connect_audit_signals()


def _record_beat_sends(**kwargs):
    # In beat's process only: each task it sends is a sign of life, kept where /healthz/deep reads it.
    from celery.signals import before_task_publish

    from coalition import health

    before_task_publish.connect(health.record_beat, weak=False, dispatch_uid="health_record_beat")


def _connect_beat_signal():
    from celery.signals import beat_init

    beat_init.connect(_record_beat_sends, weak=False, dispatch_uid="health_beat_init")


_connect_beat_signal()
