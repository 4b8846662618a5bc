import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")

app = Celery("coalition")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _connect_audit_signals():
    # A task acts under its own name in the audit log ("members.tasks.run_daily_membership_jobs").
    from celery.signals import task_postrun, task_prerun

    from coalition import audit

    task_prerun.connect(audit.task_started, weak=False, dispatch_uid="audit_task_started")
    task_postrun.connect(audit.task_finished, weak=False, dispatch_uid="audit_task_finished")


_connect_audit_signals()
