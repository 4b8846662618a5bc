"""One number that changes whenever data the pages show changes: the key of conditional GETs.

Bumped after commit by every saved or deleted row of the project's apps (signals) and by every audited
action (``coalition.audit.record``, which also covers bulk writes such as renewals). A public page's
ETag is this number with the day (membership is "in force on a day"), the language, the URL and the
release, so a returning visitor's phone gets ``304 Not Modified`` without the page being rendered.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from pathlib import Path

from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

KEY = "data-version"
PROJECT_APPS = {"accounts", "members", "pledges", "events", "reports"}
ROOT = Path(__file__).resolve().parent.parent


def _cache():
    return caches["default"]


def current() -> int:
    # A lost key (a flushed cache) starts again from the clock, never from a number already used.
    return _cache().get_or_set(KEY, time.time_ns())


def _increment() -> None:
    cache = _cache()
    try:
        cache.incr(KEY)
    except ValueError:
        cache.set(KEY, time.time_ns())


def bump() -> None:
    """After the transaction commits: a reader who sees the new number also sees the new rows.

    Once per transaction (or savepoint), however many rows it writes: a savepoint rolled back takes its
    own bump away with it, so the check is made within the current one.
    """
    here = set(connection.savepoint_ids)
    if connection.in_atomic_block and any(
        func is _increment and sids == here for sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_increment)


def _changed(sender, **kwargs):
    if sender._meta.app_label in PROJECT_APPS:
        bump()


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"versioning-{signal}")


@functools.cache
def release() -> str:
    """The deployed code: RELEASE from the environment, or the newest template, translation or module."""
    explicit = os.environ.get("RELEASE")
    if explicit:
        return explicit
    newest = max(
        (p.stat().st_mtime_ns for pattern in ("*/templates/**/*", "templates/**/*", "locale/**/*.mo", "*/*.py")
         for p in ROOT.glob(pattern) if p.is_file() and ".venv" not in p.parts),
        default=0,
    )
    return str(newest)


def etag(request, query: str, language: str, today) -> str:
    raw = "|".join([str(current()), today.isoformat(), language, request.get_host(), request.path, query, release()])
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'
