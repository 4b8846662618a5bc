"""The one way the platform sends e-mail: queue a rendered message, a worker sends it after commit.

Every message is an ``OutgoingMail`` row with a unique key, so queueing twice is a no-op. The row
is queued inside the caller's transaction and handed to Celery only once that commits; if the
broker is down the periodic sweep finds it. Sending claims the row (``queued`` → ``sending``)
under ``SELECT ... FOR UPDATE SKIP LOCKED``, so concurrent workers never send one row twice; a
row left in ``sending`` by a killed worker is taken back by the sweep after a timeout. A failure
delays that row only (exponential backoff, then ``failed``); a permanent refusal fails at once.

This is the only module that calls Django's mail functions (tests/coalition/test_mail.py checks).
"""

from __future__ import annotations

import base64
import logging
import smtplib
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import TemplateDoesNotExist, render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags

from coalition.models import OutgoingMail

logger = logging.getLogger(__name__)

Status = OutgoingMail.Status
RESENDABLE = (Status.FAILED, Status.CANCELLED)
SEND_TASK = "coalition.tasks.send_outgoing_mail"


def template_names(kind: str) -> dict[str, str]:
    """The one template convention of every app: ``emails/<kind>/subject.txt``, ``body.txt``, ``body.html``."""
    return {part: f"emails/{kind}/{part}" for part in ("subject.txt", "body.txt", "body.html")}


def render(kind: str, *, language: str, context: dict, time_zone: str | None = None) -> tuple[str, str, str]:
    """Subject, text body and HTML body (``""`` without a ``body.html``) of ``kind`` in ``language``."""
    names = template_names(kind)
    ctx = {"site_url": settings.SITE_URL, "language": language, **context}
    with translation.override(language), timezone.override(time_zone or timezone.get_current_timezone()):
        subject = " ".join(render_to_string(names["subject.txt"], ctx).split())
        body = render_to_string(names["body.txt"], ctx).strip() + "\n"
        try:
            html = render_to_string(names["body.html"], ctx)
        except TemplateDoesNotExist:
            html = ""
    return subject, body, html


def key(*parts) -> str:
    """An idempotency key from the parts that make a message unique (kind, object, occasion, language)."""
    return ":".join(str(p) for p in parts)


def queue(
    *, kind: str, key: str, to, language: str, context: dict, cc=(), about=None, country=None,
    attachments=(), time_zone: str | None = None, sensitive: bool = False, headers=None,
) -> OutgoingMail | None:
    """Render ``emails/<kind>/`` in ``language`` and queue it; return the new row, or None if ``key`` exists.

    Call it inside the transaction that makes the message true: it is sent only if that commits.
    ``attachments`` are ``(name, content, content_type)`` tuples; ``headers`` extra message headers
    (``List-Unsubscribe`` of newsletters).
    """
    if OutgoingMail.objects.filter(key=key).exists():
        return None  # saves the rendering; the unique key in queue_rendered is what guarantees once
    subject, body, html = render(kind, language=language, context=context, time_zone=time_zone)
    return queue_rendered(kind=kind, key=key, to=to, cc=cc, language=language, subject=subject, body=body,
                          html_body=html, about=about, country=country, attachments=attachments, sensitive=sensitive,
                          headers=headers)


def queue_rendered(
    *, kind: str, key: str, to, language: str, subject: str, body: str, html_body: str = "", cc=(),
    about=None, country=None, attachments=(), sensitive: bool = False, headers=None,
) -> OutgoingMail | None:
    """Queue a message rendered elsewhere (allauth renders its own templates); None if ``key`` exists."""
    fields = _row_fields(kind=kind, to=to, cc=cc, language=language, subject=subject, body=body,
                         html_body=html_body, attachments=attachments, sensitive=sensitive, about=about,
                         country=country, now=timezone.now(), headers=headers)
    # get_or_create inserts in a savepoint and reads the other row on a unique violation, so two
    # concurrent callers with one key end up with one row.
    row, created = OutgoingMail.objects.get_or_create(key=key, defaults=fields)
    if not created:
        return None
    transaction.on_commit(lambda: _enqueue(row.pk))
    return row


def _row_fields(*, kind, to, cc, language, subject, body, html_body, attachments, sensitive, about, country,
                now, headers=None) -> dict:
    """An outbox row's fields but its key: addresses cleaned (cc without the recipients), attachments
    encoded, what it is about. One place for queue_rendered and queue_many."""
    to = _addresses(to)
    if not to:
        raise ValueError(f"An e-mail of kind {kind} needs at least one recipient.")
    recipients = {t.lower() for t in to}
    return {
        "kind": kind, "to": to, "cc": [a for a in _addresses(cc) if a.lower() not in recipients],
        "language": language, "subject": subject, "body": body, "html_body": html_body or "",
        "attachments": [_attachment(*a) for a in attachments], "sensitive": sensitive,
        "country": _country(about, country), "next_attempt_at": now, "headers": dict(headers or {}),
        **_about(about),
    }


def queue_many(messages: list[dict]) -> list[OutgoingMail]:
    """Queue many messages (each the keyword arguments of ``queue``) in a fixed number of queries.

    For jobs that send hundreds at once (reminders): the keys already queued are read once, the new
    rows are inserted together (a key that appears meanwhile is skipped by its unique constraint),
    and each row goes to a worker after commit, as with ``queue``. Returns the rows this call queued.
    """
    keys = [m["key"] for m in messages]
    existing = set(OutgoingMail.objects.filter(key__in=keys).values_list("key", flat=True))
    now = timezone.now()
    rows, seen = [], set()
    for m in messages:
        if m["key"] in existing or m["key"] in seen:
            continue
        seen.add(m["key"])
        subject, body, html = render(m["kind"], language=m["language"], context=m["context"],
                                     time_zone=m.get("time_zone"))
        rows.append(OutgoingMail(key=m["key"], **_row_fields(
            kind=m["kind"], to=m["to"], cc=m.get("cc", ()), language=m["language"], subject=subject, body=body,
            html_body=html, attachments=m.get("attachments", ()), sensitive=m.get("sensitive", False),
            about=m.get("about"), country=m.get("country"), now=now, headers=m.get("headers"),
        )))
    if not rows:
        return []
    OutgoingMail.objects.bulk_create(rows, ignore_conflicts=True)
    # Insert-or-skip leaves the new ids unknown: read back the rows of this call's keys still queued.
    created = {pk: key for pk, key in OutgoingMail.objects.filter(
        key__in=[r.key for r in rows], status=Status.QUEUED, created_at__gte=now,
    ).values_list("pk", "key")}
    ids = sorted(created)
    transaction.on_commit(lambda: [_enqueue(pk) for pk in ids])
    by_key = {r.key: r for r in rows}
    queued = []
    for pk, key in created.items():
        row = by_key[key]
        row.pk = pk
        queued.append(row)
    return queued


def queue_message(message, *, kind: str, key: str, language: str, about=None, sensitive: bool = False):
    """Queue an ``EmailMessage`` another library rendered (allauth); None if ``key`` exists."""
    body, html = message.body, ""
    if message.content_subtype == "html":
        html, body = body, strip_tags(body)
    for content, mimetype in getattr(message, "alternatives", ()):
        if mimetype == "text/html":
            html = content
    return queue_rendered(kind=kind, key=key, to=list(message.to), cc=list(message.cc), language=language,
                          subject=str(message.subject), body=body, html_body=html, about=about, sensitive=sensitive)


def cancel(*, key_prefix: str) -> int:
    """Cancel the messages not yet sent (queued, or failed) whose key starts with ``key_prefix``; return how many.

    A message being sent at this moment is not stopped: it was already true when it was claimed.
    """
    return OutgoingMail.objects.filter(
        key__startswith=key_prefix, status__in=[Status.QUEUED, Status.FAILED],
    ).update(status=Status.CANCELLED, next_attempt_at=None)


# --- Sending ------------------------------------------------------------------------------------


def _enqueue(mail_id: int) -> None:
    """Hand one row to a worker, by task name (the tasks module imports this one, not the reverse)."""
    try:
        current_app.send_task(SEND_TASK, args=[mail_id])
    except Exception:  # noqa: BLE001 - the row is committed and queued: the periodic sweep sends it
        logger.exception("Could not hand e-mail %s to the broker; the sweep will send it", mail_id)


def deliver_due(now: datetime | None = None) -> int:
    """Send every queued message due by ``now``, synchronously; return the number sent."""
    now = now or timezone.now()
    due = list(
        OutgoingMail.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    )
    if not due:
        return 0
    # One session with the mail server for the whole run; a message that fails closes it, and the
    # next one opens a new session, so a broken connection is never blamed on the messages after it.
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception:  # noqa: BLE001 - each message then opens its own and records its own failure
        logger.warning("Could not open a connection to the mail server", exc_info=True)
    try:
        return sum(deliver_one(pk, now=now, connection=connection) for pk in due)
    finally:
        connection.close()


def deliver_one(mail_id: int, *, now: datetime | None = None, connection=None) -> int:
    """Send one queued message if it is due and no one else is sending it; return 1 if it went out."""
    row = _claim(mail_id, now=now or timezone.now())
    if row is None:
        return 0
    try:
        _message(row, connection or get_connection(fail_silently=False)).send()
    except Exception as exc:  # noqa: BLE001 - any failure is this row's, recorded on it; others go on
        if connection is not None:
            connection.close()
        _record_failure(row.pk, exc)
        return 0
    with transaction.atomic():
        done = {"status": Status.SENT, "sent_at": timezone.now(), "claimed_at": None, "last_error": ""}
        if row.sensitive:
            done |= {"body": "", "html_body": ""}
        OutgoingMail.objects.filter(pk=row.pk, status=Status.SENDING).update(**done)
    return 1


def _claim(mail_id: int, *, now: datetime) -> OutgoingMail | None:
    # The claim commits before the message goes out, so the lock is not held while the mail
    # server answers; a concurrent run either skips the locked row or finds it no longer queued.
    with transaction.atomic():
        row = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, status=Status.QUEUED, next_attempt_at__lte=now)
            .first()
        )
        if row is None:
            return None
        row.status = Status.SENDING
        row.claimed_at = timezone.now()
        row.attempts += 1
        row.next_attempt_at = None
        row.save(update_fields=["status", "claimed_at", "attempts", "next_attempt_at"])
        return row


def _record_failure(mail_id: int, exc: Exception) -> None:
    with transaction.atomic():
        row = OutgoingMail.objects.select_for_update().get(pk=mail_id)
        if row.status != Status.SENDING:
            return
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        row.claimed_at = None
        if is_permanent(exc) or row.attempts >= settings.MAIL_MAX_ATTEMPTS:
            row.status = Status.FAILED
            logger.warning("E-mail %s (%s) failed: %s", row.pk, row.kind, row.last_error)
        else:
            row.status = Status.QUEUED
            row.next_attempt_at = timezone.now() + retry_delay(row.attempts)
        row.save(update_fields=["status", "last_error", "claimed_at", "next_attempt_at"])


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: the base delay after the first failure, doubling up to a cap."""
    seconds = settings.MAIL_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.MAIL_RETRY_MAX_SECONDS))


def is_permanent(exc: Exception) -> bool:
    """A refusal that a retry cannot change: a refused recipient, or any 5xx answer of the server."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return not codes or any(code >= 500 for code in codes)
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _message(row: OutgoingMail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject, body=row.body, from_email=settings.DEFAULT_FROM_EMAIL, to=row.to, cc=row.cc,
        connection=connection, headers=row.headers or None,
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    for item in row.attachments:
        content = item["content"]
        if item.get("encoding") == "base64":
            content = base64.b64decode(content)
        message.attach(item["name"], content, item["content_type"])
    return message


# --- Recovery and the admin -------------------------------------------------------------------


def sweep(now: datetime | None = None) -> dict:
    """Take back rows stuck in ``sending`` (their worker was killed), then send what is due."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.MAIL_SENDING_TIMEOUT)
    taken_back = 0
    with transaction.atomic():
        for row in OutgoingMail.objects.select_for_update(skip_locked=True).filter(
            status=Status.SENDING, claimed_at__lt=stale,
        ):
            row.claimed_at = None
            row.last_error = "The worker stopped while sending; sent again by the sweep."
            if row.attempts >= settings.MAIL_MAX_ATTEMPTS:
                row.status = Status.FAILED
            else:
                row.status, row.next_attempt_at = Status.QUEUED, now
                taken_back += 1
            row.save(update_fields=["status", "claimed_at", "last_error", "next_attempt_at"])
    return {"taken_back": taken_back, "sent": deliver_due(now)}


def failed():
    """Messages that gave up (a refused address, or every attempt failed): the Secretariat's to fix."""
    return OutgoingMail.objects.filter(status=Status.FAILED).select_related("country").order_by("-created_at")


@transaction.atomic
def send_again(*, mail: OutgoingMail, by=None) -> bool:
    """Queue a failed (or cancelled) message once more, with a fresh count of attempts."""
    row = OutgoingMail.objects.select_for_update().get(pk=mail.pk)
    if row.status not in RESENDABLE:
        return False
    row.status, row.attempts, row.next_attempt_at = Status.QUEUED, 0, timezone.now()
    row.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(lambda: _enqueue(row.pk))
    return True


# --- Helpers --------------------------------------------------------------------------------------


def _addresses(value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    seen = []
    for address in value or ():
        address = address.strip()
        if address and address.lower() not in (a.lower() for a in seen):
            seen.append(address)
    return seen


def _attachment(name: str, content, content_type: str) -> dict:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError:
            return {"name": name, "content_type": content_type, "encoding": "base64",
                    "content": base64.b64encode(content).decode("ascii")}
    return {"name": name, "content_type": content_type, "content": content}


def _about(obj) -> dict:
    if obj is None:
        return {}
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": str(obj.pk)}


def _country(obj, country):
    if country is not None or obj is None:
        return country
    from members.models import Country

    if isinstance(obj, Country):
        return obj
    return getattr(obj, "country", None)
