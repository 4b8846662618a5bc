"""One number that changes whenever data the pages show changes: the key of conditional GETs.

Bumped after commit by every saved or deleted row of the project's apps (signals) and by every audited
action (``coalition.audit.record``, which also covers bulk writes such as renewals). A public page's
ETag is this number with the day (membership is "in force on a day"), the language, the URL and the
release, so a returning visitor's phone gets ``304 Not Modified`` without the page being rendered.
The same number keys the reads kept by ``coalition.reads``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
from pathlib import Path

from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

KEY = "data-version"
# Every app whose rows a page shows; the outbox and the audit log's own rows are not shown as such.
PROJECT_APPS = {"accounts", "members", "pledges", "events", "reports", "announcements", "library", "governance",
                # allauth's e-mail addresses: a focal point speaks for a country only once theirs is verified.
                "account"}
ROOT = Path(__file__).resolve().parent.parent
# The number as this request first read it: the ETag and every kept read of one request agree, for one
# round trip to Redis. Outside a request (workers, commands) it is read afresh each time.
_request = threading.local()


def _cache():
    return caches["default"]


def current() -> int:
    seen = getattr(_request, "version", None)
    if seen is not None:
        return seen
    # A lost key (a flushed cache) starts again from the clock, never from a number already used.
    value = _cache().get_or_set(KEY, time.time_ns())
    if getattr(_request, "active", False):
        _request.version = value
    return value


def _increment() -> None:
    # This request's own change is seen by what it reads next.
    _request.version = None
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
    # What this request read before the write is read again after it (coalition.reads).
    _request.writes = getattr(_request, "writes", 0) + 1
    here = set(connection.savepoint_ids)
    if connection.in_atomic_block and any(
        func is _increment and sids == here for sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_increment)


def changed_elsewhere() -> None:
    """The data changed without Django seeing it (a restore from a backup): every reader reads afresh."""
    _increment()


def pending() -> bool:
    """Whether the current transaction has changed data not yet committed (its bump is waiting):
    what it reads is then newer than the number says."""
    return connection.in_atomic_block and any(func is _increment for _sids, func, _robust in connection.run_on_commit)


# Saved on every sign-in and shown on no page: a sign-in does not redraw the site.
UNSHOWN_UPDATES = {frozenset({"last_login"})}


def _changed(sender, update_fields=None, **kwargs):
    if sender._meta.app_label in PROJECT_APPS and (update_fields is None or update_fields not in UNSHOWN_UPDATES):
        bump()


def request_answers() -> dict | None:
    """Reads answered so far in this request, for a read asked again before any write (None outside a
    request, where nothing marks where one ends)."""
    return _request.answers if getattr(_request, "active", False) else None


def writes() -> int:
    """How many writes this thread has made: a read answered before one is read again after it."""
    return getattr(_request, "writes", 0)


def _request_started(**kwargs):
    _request.active, _request.version, _request.answers = True, None, {}


def _request_finished(**kwargs):
    _request.active, _request.version, _request.answers = False, None, None


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"versioning-{signal}")
    request_started.connect(_request_started, dispatch_uid="versioning-request-started")
    request_finished.connect(_request_finished, dispatch_uid="versioning-request-finished")


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
