"""Report business rules: asking for a report, building it once, recovering lost builds, publishing.

Every function takes keyword arguments and runs in transactions that lock the rows they change.
Errors are ValidationError with a message a person can act on; nothing changes when one is raised.

How a build is made exactly once, and never left stuck:
- at most one request per (kind, year, country, language) is queued or building (a partial unique
  constraint); asking again while one is active returns that one;
- the worker building a request holds a PostgreSQL session advisory lock on it for the whole build, so a
  duplicate task message finds the lock taken and does nothing;
- a worker that dies (killed, out of memory, hard time limit) loses its connection and so its lock.
  Celery redelivers the message (acks_late + reject_on_worker_lost) and the next delivery takes over the
  ``building`` row; if the whole worker died, the sweep (every few minutes) finds ``building`` rows whose
  lock is free and queues them again. After REPORTS_MAX_ATTEMPTS interrupted builds the request fails.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import date, timedelta

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coalition import mail
from coalition.audit import audited
from members.models import Country, Membership
from reports import selectors
from reports.models import Digest, Kind, ReportRequest

logger = logging.getLogger(__name__)

Status = ReportRequest.Status
LOCK_NAMESPACE = 0x52505430  # "RPT0": advisory locks of report builds
# A queued request whose message may have been lost (broker restarted) is sent again after this.
QUEUED_GRACE = timedelta(minutes=10)


def _today() -> date:
    return timezone.localdate()


# --- Asking for a report -------------------------------------------------------------------------------


def _require_staff(user) -> None:
    if user is not None and not selectors.can_request(user):
        raise ValidationError(_("Only secretariat staff may ask for reports."), code="not_staff")


def check_parameters(*, kind: str, language: str, year, country: Country | None, today: date, until=None):
    """The membership and term a certificate confirms (None for other reports); ValidationError if unfit."""
    if kind not in Kind.values:
        raise ValidationError(_("Choose a kind of report."), code="bad_kind")
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose English, Russian or French."), code="bad_language")
    if kind == Kind.RECAP:
        _check_recap(until=until, country=country, today=today)
        return None, None
    if kind == Kind.ANNUAL:
        if year is None:
            raise ValidationError(_("Choose the year of the annual report."), code="no_year")
        if not 2000 <= int(year) <= today.year:
            raise ValidationError(
                _("There is no annual report for %(year)s: choose a year from 2000 to %(this_year)s.")
                % {"year": year, "this_year": today.year},
                code="bad_year",
            )
        if country is not None:
            raise ValidationError(_("An annual report covers every country: leave the country empty."), code="country")
        return None, None
    if country is None:
        raise ValidationError(_("Choose the country of the report."), code="no_country")
    if kind == Kind.CERTIFICATE:
        membership = Membership.objects.of(country, on=today)
        term = membership.term_on(today) if membership else None
        if membership is None or term is None:
            raise ValidationError(
                _("%(country)s is not a member on %(date)s, so no membership certificate can be issued.")
                % {"country": country, "date": date_format(today, "DATE_FORMAT")},
                code="not_member",
            )
        return membership, term
    return None, None


def _check_recap(*, until, country, today: date) -> None:
    from reports.recap import EARLIEST, latest_until

    if until is None:
        raise ValidationError(_("Choose the date of the Core Group meeting: the recap covers the 12 months before it."),
                              code="no_until")
    if not EARLIEST <= until <= latest_until(today):
        raise ValidationError(
            _("There is no recap for a meeting on %(date)s: choose a date from %(first)s to %(last)s.")
            % {"date": date_format(until, "DATE_FORMAT"), "first": date_format(EARLIEST, "DATE_FORMAT"),
               "last": date_format(latest_until(today), "DATE_FORMAT")},
            code="bad_until",
        )
    if country is not None:
        raise ValidationError(_("A recap covers every country: leave the country empty."), code="country")


@audited("report.requested")
def request_report(
    *, kind: str, language: str, by, year: int | None = None, country: Country | None = None,
    until: date | None = None, today: date | None = None, enqueue: bool = True,
) -> tuple[ReportRequest, bool]:
    """Queue a report; (request, created). While the same report is queued or building, that one is returned."""
    today = today or _today()
    _require_staff(by)
    if kind != Kind.ANNUAL:
        year = None
    if kind != Kind.RECAP:
        until = None
    membership, term = check_parameters(kind=kind, language=language, year=year, country=country, today=today,
                                        until=until)
    key = {"kind": kind, "language": language, "year": year, "until": until, "country": country}
    with transaction.atomic():
        existing = ReportRequest.objects.filter(status__in=ReportRequest.ACTIVE, **key).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                report = ReportRequest.objects.create(
                    **key, membership=membership, term=term, requested_by=by,
                    verification_code=_new_code() if kind == Kind.CERTIFICATE else None,
                )
        except IntegrityError:
            # Someone asked for the same report at the same moment: theirs is the one.
            existing = ReportRequest.objects.filter(status__in=ReportRequest.ACTIVE, **key).first()
            if existing is None:
                raise
            return existing, False
        if enqueue:
            _enqueue_after_commit(report.pk)
    return report, True


def _new_code() -> str:
    from reports.models import new_verification_code

    while True:
        code = new_verification_code()
        if not ReportRequest.objects.filter(verification_code=code).exists():
            return code


def _enqueue_after_commit(report_id: int) -> None:
    def send():
        # By name: tasks import services, never the reverse.
        try:
            current_app.send_task("reports.tasks.build_report", args=[report_id])
        except Exception:
            logger.exception("Could not queue report %s; the sweep will queue it again", report_id)

    transaction.on_commit(send)


@transaction.atomic
@audited("report.retried", about="report")
def retry_report(*, report: ReportRequest, by) -> ReportRequest:
    """Queue a failed request again."""
    _require_staff(by)
    report = ReportRequest.objects.select_for_update().get(pk=report.pk)
    if report.status != Status.FAILED:
        raise ValidationError(_("Only a failed report can be built again."), code="not_failed")
    report.status = Status.QUEUED
    report.attempts = 0
    report.failure_reason = ""
    report.started_at = report.finished_at = None
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(
            _("The same report is already queued or being built; wait for it instead."), code="already_active",
        ) from None
    _enqueue_after_commit(report.pk)
    return report


@transaction.atomic
@audited("report.published", about="report")
def publish_report(*, report: ReportRequest, by) -> ReportRequest:
    """Make a ready annual report or country profile downloadable by anyone."""
    _require_staff(by)
    if by is None:
        raise ValidationError(_("Only secretariat staff may publish reports."), code="not_staff")
    report = ReportRequest.objects.select_for_update().get(pk=report.pk)
    if report.kind == Kind.CERTIFICATE:
        raise ValidationError(_("Certificates are for the country's focal points; they are not published."),
                              code="certificate")
    if report.kind == Kind.RECAP:
        raise ValidationError(_("A meeting recap is for the Core Group and the Secretariat; it is not published."),
                              code="recap")
    if report.status != Status.READY:
        raise ValidationError(_("Only a report that is ready can be published."), code="not_ready")
    if report.published_at is None:
        report.published_at = timezone.now()
        report.published_by = by
        report.save(update_fields=["published_at", "published_by"])
    return report


# --- Building -------------------------------------------------------------------------------------------------


def _try_lock(report_id: int, *, wait: float = 0) -> bool:
    deadline = time.monotonic() + wait
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, report_id])
            if cursor.fetchone()[0]:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.25)


def _unlock(report_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, report_id])


def _fail(report: ReportRequest, reason: str) -> None:
    report.status = Status.FAILED
    report.failure_reason = reason
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "failure_reason", "finished_at"])


def build_report(*, report_id: int) -> str:
    """Build one request's PDF if it is still to be built; return what happened (for logs and tests).

    Safe to call twice or at once: only the caller holding the request's advisory lock builds.
    """
    from celery.exceptions import SoftTimeLimitExceeded

    from reports import rendering

    current = ReportRequest.objects.filter(pk=report_id).values_list("status", flat=True).first()
    if current is None:
        return "missing"
    if current not in ReportRequest.ACTIVE:
        return "done"
    # A 'building' row whose lock is still held may belong to a worker that was just killed: its
    # connection closes a moment later, so wait a little before concluding that another build runs.
    if not _try_lock(report_id, wait=10 if current == Status.BUILDING else 0):
        return "busy"
    try:
        with transaction.atomic():
            report = ReportRequest.objects.select_for_update(of=("self",)).select_related(
                "country", "membership", "term").filter(pk=report_id).first()
            if report is None or report.status not in ReportRequest.ACTIVE:
                return "done"
            if report.attempts >= settings.REPORTS_MAX_ATTEMPTS:
                _fail(report, _("The build was interrupted %(count)s times (worker stopped or time limit reached).")
                      % {"count": report.attempts})
                return "failed"
            report.status = Status.BUILDING
            report.attempts += 1
            report.started_at = timezone.now()
            report.worker = f"{socket.gethostname()}:{os.getpid()}"
            report.save(update_fields=["status", "attempts", "started_at", "worker"])
        if settings.REPORTS_BUILD_PAUSE_SECONDS:
            time.sleep(settings.REPORTS_BUILD_PAUSE_SECONDS)  # test hook: time to kill the worker mid-build
        try:
            built = rendering.to_pdf(rendering.html_for(report))
        except SoftTimeLimitExceeded:
            with transaction.atomic():
                _fail(ReportRequest.objects.select_for_update().get(pk=report_id),
                      _("The build took longer than %(seconds)s seconds and was stopped.")
                      % {"seconds": settings.REPORTS_BUILD_SOFT_TIME_LIMIT})
            return "failed"
        except Exception as exc:
            logger.exception("Report %s could not be built", report_id)
            with transaction.atomic():
                _fail(ReportRequest.objects.select_for_update().get(pk=report_id),
                      _("The PDF could not be built: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"[:500]})
            return "failed"
        with transaction.atomic():
            report = ReportRequest.objects.select_for_update().get(pk=report_id)
            if report.status != Status.BUILDING:
                return "done"
            report.file.save("report.pdf", ContentFile(built.pdf), save=False)
            report.pages = built.pages
            report.status = Status.READY
            report.finished_at = timezone.now()
            report.failure_reason = ""
            report.save(update_fields=["file", "pages", "status", "finished_at", "failure_reason"])
            transaction.on_commit(lambda: _notify_quietly(report_id))
        return "ready"
    finally:
        _unlock(report_id)


def sweep_stale_builds(*, now=None) -> dict:
    """Queue again the builds whose worker died, resend lost messages, and tell requesters who were missed."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0, "resent": 0, "notified": 0}
    for report_id in ReportRequest.objects.filter(status=Status.BUILDING).values_list("pk", flat=True):
        if not _try_lock(report_id):
            continue  # a live worker is building it
        try:
            with transaction.atomic():
                report = ReportRequest.objects.select_for_update().filter(pk=report_id, status=Status.BUILDING).first()
                if report is None:
                    continue
                if report.attempts >= settings.REPORTS_MAX_ATTEMPTS:
                    _fail(report, _("The build was interrupted %(count)s times (worker stopped or time limit "
                                    "reached).") % {"count": report.attempts})
                    counts["failed"] += 1
                else:
                    report.status = Status.QUEUED
                    report.save(update_fields=["status"])
                    _enqueue_after_commit(report_id)
                    counts["requeued"] += 1
        finally:
            _unlock(report_id)
    for report_id in ReportRequest.objects.filter(
        status=Status.QUEUED, requested_at__lt=now - QUEUED_GRACE,
    ).values_list("pk", flat=True):
        _enqueue_after_commit(report_id)  # outside a transaction: sent at once; the task is idempotent
        counts["resent"] += 1
    for report_id in ReportRequest.objects.filter(
        status=Status.READY, notified_at__isnull=True, finished_at__lt=now - timedelta(minutes=1),
    ).values_list("pk", flat=True):
        counts["notified"] += notify_ready(report_id=report_id)
    return counts


# --- E-mails ------------------------------------------------------------------------------------------------


def _notify_quietly(report_id: int) -> None:
    try:
        notify_ready(report_id=report_id)
    except Exception:
        logger.exception("Could not send the e-mail for report %s", report_id)


def notify_ready(*, report_id: int) -> int:
    """E-mail the link of a ready report once: to who asked, and for a certificate to the focal points."""
    with transaction.atomic():
        report = (
            ReportRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("requested_by", "country")
            .filter(pk=report_id, status=Status.READY, notified_at__isnull=True)
            .first()
        )
        if report is None:
            return 0
        queued = _queue_ready(report)
        # "Told" means handed to the outbox, in this transaction: it sends each message once.
        report.notified_at = timezone.now()
        report.save(update_fields=["notified_at"])
        return queued


def _queue_ready(report: ReportRequest) -> int:
    by_language: dict[str, set[str]] = {}
    if report.requested_by and report.requested_by.email and report.requested_by.is_active:
        by_language.setdefault(report.requested_by.language or settings.LANGUAGE_CODE, set()).add(
            report.requested_by.email)
    if report.kind == Kind.CERTIFICATE:
        from pledges.models import FocalPoint

        for email, language in FocalPoint.objects.reminder_recipients(report.country):
            by_language.setdefault(language or settings.LANGUAGE_CODE, set()).add(email)
    queued = 0
    for language, recipients in sorted(by_language.items()):
        with translation.override(language):
            # Reversed in the reader's language; the country name too is rendered in it.
            url = settings.SITE_URL + reverse("reports:detail", kwargs={"pk": report.pk})
        queued += mail.queue(
            kind="reports/ready", key=mail.key("reports.ready", report.pk, language), to=sorted(recipients),
            language=language, about=report, country=report.country,
            context={"report": report, "url": url,
                     "subject": report.country if report.country_id else (report.until or report.year)},
        ) is not None
    return queued


# --- On schedule ------------------------------------------------------------------------------------------------


def build_annual_reports(*, year: int, today: date | None = None) -> int:
    """Queue the annual report of ``year`` in every language, unless it was built or asked for already."""
    queued = 0
    for language, _label in settings.LANGUAGES:
        done = ReportRequest.objects.filter(kind=Kind.ANNUAL, year=year, language=language).exclude(
            status=Status.FAILED).exists()
        if done:
            continue
        _report, created = request_report(kind=Kind.ANNUAL, year=year, language=language, by=None, today=today)
        queued += created
    return queued


def send_monthly_digest(*, today: date) -> int:
    """The secretariat's digest for ``today``'s month, sent once however often this runs."""
    month = today.replace(day=1)
    Digest.objects.get_or_create(month=month)
    with transaction.atomic():
        digest = Digest.objects.select_for_update(skip_locked=True).filter(month=month, sent_at__isnull=True).first()
        if digest is None:
            return 0
        mail.queue(
            kind="reports/digest", key=mail.key("reports.digest", month.isoformat()), to=[settings.SECRETARIAT_EMAIL],
            language=settings.LANGUAGE_CODE, about=digest,
            context={**selectors.digest_data(today=today), "month": month},
        )
        digest.sent_at = timezone.now()
        digest.save(update_fields=["sent_at"])
        return 1
