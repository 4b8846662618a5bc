"""The audit log: every action of the services, with the acting person or job set in one place.

- **Who acts** is a context: the request's user (``AuditMiddleware``), a Celery task's name
  (``task_prerun``, connected in ``coalition.celery``), or the ``by`` a service is given. The same
  context gives simple-history its user (``history_user``), so no service sets it by hand.
- **What was done** is one ``@audited("membership.notice_given", about="membership")`` line on each
  service function: it runs the function in a transaction, then records the action with the
  fields that changed on the object it is about (or on the object it returns).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import decimal
from dataclasses import dataclass
from functools import wraps
from typing import NamedTuple

from django.db import models, transaction
from django.utils import timezone

from coalition import bulk, versioning


@dataclass(frozen=True)
class Actor:
    user: object = None
    job: str = ""


_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar("audit_actor", default=Actor())


def current_actor() -> Actor:
    return _actor.get()


@contextlib.contextmanager
def acting(*, user=None, job: str = ""):
    """Everything recorded inside is done by ``user`` (a signed-in person) or ``job`` (a task's name)."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    token = _actor.set(Actor(user=user, job="" if user is not None else job))
    try:
        yield
    finally:
        _actor.reset(token)


def history_user(instance=None, request=None, **kwargs):
    """simple-history's ``get_user``: the acting person of the context, else the request's."""
    actor = current_actor()
    if actor.user is not None:
        return actor.user
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class AuditMiddleware:
    """Requests act as their signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        with acting(user=user if user is not None and user.is_authenticated else None):
            return self.get_response(request)


def task_started(sender=None, task=None, **kwargs):
    """Celery ``task_prerun``: a scheduled job acts under its own name."""
    name = getattr(task, "name", "") or getattr(sender, "name", "")
    task.request.audit_token = _actor.set(Actor(job=name))


def task_finished(sender=None, task=None, **kwargs):
    token = getattr(task.request, "audit_token", None)
    if token is not None:
        _actor.reset(token)


# --- Recording --------------------------------------------------------------------------------------

_SKIPPED_FIELDS = {"id", "created_at", "updated_at"}


def _readable(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes") if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, (datetime.date, decimal.Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_readable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool, dict)):
        return value
    return str(value)


def snapshot(obj) -> dict | None:
    """The stored fields of ``obj`` as the database has them now, readably (None if unsaved)."""
    if not isinstance(obj, models.Model) or obj.pk is None:
        return None
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    if fresh is None:
        return None
    values = {}
    for field in fresh._meta.concrete_fields:
        if field.name in _SKIPPED_FIELDS:
            continue
        values[field.name] = _readable(getattr(fresh, field.name))
    return values


def diff(before: dict | None, after: dict | None) -> dict:
    """``{field: [old, new]}`` for what changed; for a new object, what it was given."""
    if after is None:
        return {}
    before = before or {}
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value and not (name not in before and value in (None, "", [], {}))
    }


def _country_of(obj):
    from members.models import Country

    if isinstance(obj, Country):
        return obj
    for path in ("country", "membership", "pledge", "event"):
        target = getattr(obj, path, None)
        if isinstance(target, Country):
            return target
        if path != "country" and target is not None:
            found = getattr(target, "country", None)
            if isinstance(found, Country):
                return found
    return None


def record(action: str, obj=None, *, changes: dict | None = None, by=None, country=None):
    """Write one entry of the log now (inside the caller's transaction)."""
    from django.contrib.contenttypes.models import ContentType

    from coalition.models import Action

    actor = current_actor()
    user = by if by is not None and getattr(by, "is_authenticated", False) else actor.user
    entry = Action(
        at=timezone.now(), user=user, job="" if user is not None else actor.job, action=action,
        changes=changes or {}, country=country or (_country_of(obj) if obj is not None else None),
    )
    if isinstance(obj, models.Model) and obj.pk is not None:
        entry.content_type = ContentType.objects.get_for_model(type(obj))
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:300]
    entry.save()
    versioning.bump()
    return entry


class About(NamedTuple):
    """What an entry is about when a batch job has not built the object: its model, key, name, country."""

    model: type
    pk: object
    name: str
    country_id: int | None = None


def _about(obj) -> About:
    if isinstance(obj, About):
        return obj
    return About(type(obj), obj.pk, str(obj), getattr(_country_of(obj), "pk", None))


def record_many(entries, *, by=None) -> int:
    """Write ``(action, obj, changes)`` entries in one statement (batch jobs such as renewals).

    ``obj`` is a model instance or an ``About``; ``entries`` may be a generator, read once, so that a
    job handing thousands need not hold them all.
    """
    from django.contrib.contenttypes.models import ContentType

    from coalition.models import Action

    actor = current_actor()
    user = by if by is not None and getattr(by, "is_authenticated", False) else actor.user
    types, rows = {}, []
    for action, obj, changes in entries:
        about = _about(obj)
        if about.model not in types:
            types[about.model] = ContentType.objects.get_for_model(about.model).pk
        rows.append({"action": action, "content_type_id": types[about.model], "object_id": str(about.pk),
                     "object_repr": about.name[:300], "country_id": about.country_id,
                     "changes": changes or {}})
    versioning.bump()
    bulk.insert(Action, rows, same={"at": timezone.now(), "user_id": getattr(user, "pk", None),
                                    "job": "" if user is not None else actor.job})
    return len(rows)


def audited(action: str, *, about: str | None = None):
    """Record ``action`` each time the service succeeds.

    ``about`` names the keyword argument holding the object acted on (its changed fields are
    recorded); without it, the object the service returns is recorded as created.
    """

    def decorate(service):
        @wraps(service)
        def wrapper(*args, **kwargs):
            by = kwargs.get("by")
            target = kwargs.get(about) if about else None
            with transaction.atomic():
                before = snapshot(target)
                with acting(user=by) if by is not None else contextlib.nullcontext():
                    result = service(*args, **kwargs)
                    obj = target if target is not None else result
                    if isinstance(obj, models.Model):
                        record(action, obj, changes=diff(before, snapshot(obj)), by=by)
                    else:
                        record(action, target, by=by)
            return result

        wrapper.audited_action = action
        return wrapper

    return decorate


# --- Reading ------------------------------------------------------------------------------------------


def readable_changes(entry) -> list[dict]:
    """``[{"field", "old", "new"}]`` with field names as the model calls them and dates in the reader's language."""
    from django.utils.dateparse import parse_date, parse_datetime
    from django.utils.formats import date_format

    model = entry.content_type.model_class() if entry.content_type_id else None

    def label(name):
        try:
            return str(model._meta.get_field(name).verbose_name) if model else name
        except Exception:  # noqa: BLE001 - a field removed since the entry was written
            return name

    def shown(value):
        if value in (None, "", [], {}):
            return "—"
        if isinstance(value, bool):
            from django.utils.translation import gettext

            return gettext("yes") if value else gettext("no")
        if isinstance(value, str) and len(value) >= 10:
            moment = parse_datetime(value) if "T" in value else None
            if moment is not None:
                return date_format(timezone.localtime(moment) if timezone.is_aware(moment) else moment, "DATETIME_FORMAT")
            day = parse_date(value) if len(value) == 10 else None
            if day is not None:
                return date_format(day, "DATE_FORMAT")
        if isinstance(value, list):
            return ", ".join(str(shown(v)) for v in value)
        return str(value)

    return [{"field": label(name), "old": shown(old), "new": shown(new)}
            for name, (old, new) in sorted(entry.changes.items())]
