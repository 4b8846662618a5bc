"""Deep health: the database, Redis, the workers, beat and the outbox, each checked on its own.

``/healthz`` stays cheap for load balancers; ``/healthz/deep`` (staff, or the HEALTH_TOKEN) and
``manage.py health`` (docker-compose's healthchecks) run these. A check that fails says so in its own
entry and never raises: a monitor must get an answer, not a 500.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings

logger = logging.getLogger(__name__)

# Where beat's process writes the time of the last task it sent (see coalition.celery).
BEAT_KEY = "coalition:health:beat-last-send"


def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def record_beat(**kwargs) -> None:
    """``before_task_publish`` receiver, connected in beat's process only."""
    try:
        _redis().set(BEAT_KEY, f"{time.time():.3f}")
    except Exception:  # noqa: BLE001 - a health note must never stop beat from sending its tasks
        logger.warning("Could not record beat's last send in Redis", exc_info=True)


def check_database() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok"}


def check_redis() -> dict:
    _redis().ping()
    return {"status": "ok"}


def check_workers() -> dict:
    from coalition.celery import app

    replies = app.control.ping(timeout=settings.HEALTH_WORKER_PING_SECONDS)
    names = sorted(name for reply in replies for name in reply)
    if not names:
        return {"status": "error", "error": "no worker answered the ping", "workers": []}
    return {"status": "ok", "workers": names}


def check_beat() -> dict:
    raw = _redis().get(BEAT_KEY)
    if raw is None:
        return {"status": "error", "error": "beat has sent no task yet"}
    age = max(0.0, time.time() - float(raw))
    limit = settings.HEALTH_BEAT_MAX_AGE_SECONDS
    result = {"status": "ok", "last_send_seconds_ago": round(age, 1), "limit_seconds": limit}
    if age > limit:
        result.update(status="error", error="beat has sent nothing for too long")
    return result


def check_outbox() -> dict:
    """E-mails queued, and how late the most overdue one is (one waiting for its retry time is not late)."""
    from django.db.models import Count, Min, Q
    from django.utils import timezone

    from coalition.models import OutgoingMail

    now = timezone.now()
    due = Q(next_attempt_at__lte=now)
    counts = OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).aggregate(
        queued=Count("pk"), due=Count("pk", filter=due), oldest_due=Min("next_attempt_at", filter=due),
    )
    late = (now - counts["oldest_due"]).total_seconds() if counts["oldest_due"] else 0.0
    result = {
        "status": "ok", "queued": counts["queued"], "due": counts["due"], "oldest_due_seconds": round(late, 1),
        "max_queued": settings.HEALTH_OUTBOX_MAX_QUEUED, "max_due_seconds": settings.HEALTH_OUTBOX_MAX_DUE_SECONDS,
    }
    problems = []
    if counts["queued"] > settings.HEALTH_OUTBOX_MAX_QUEUED:
        problems.append("too many e-mails queued")
    if late > settings.HEALTH_OUTBOX_MAX_DUE_SECONDS:
        problems.append("an e-mail has been due for too long")
    if problems:
        result.update(status="error", error="; ".join(problems))
    return result


CHECKS = {
    "database": check_database,
    "redis": check_redis,
    "workers": check_workers,
    "beat": check_beat,
    "outbox": check_outbox,
}
# Asked through the broker: pointless (and slow to time out) when Redis does not answer.
NEEDS_REDIS = {"workers", "beat"}


def run(names=None) -> dict:
    """``{"status": "ok" | "error", "checks": {name: {"status": …, …}}}`` for the named checks (all by default)."""
    results = {}
    for name in names or CHECKS:
        started = time.monotonic()
        if name in NEEDS_REDIS and results.get("redis", {}).get("status") == "error":
            result = {"status": "error", "error": "skipped: Redis does not answer"}
        else:
            try:
                result = CHECKS[name]()
            except Exception as exc:  # noqa: BLE001 - any failure is this check's answer
                logger.warning("Health check %s failed", name, exc_info=True)
                result = {"status": "error", "error": exc.__class__.__name__}
        result["seconds"] = round(time.monotonic() - started, 3)
        results[name] = result
    healthy = all(result["status"] == "ok" for result in results.values())
    return {"status": "ok" if healthy else "error", "checks": results}
