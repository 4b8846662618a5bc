"""Yearly progress reports on published pledges: each indicator's value for a year, the focal point's
completion level and narrative; reviewed and published by the secretariat. And their reminders."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coalition import mail
from coalition.audit import audited
from members.validators import validate_pdf
from pledges import emails, reminders, selectors
from pledges.models import Commitment, CommitmentProgress, Indicator, IndicatorValue, Pledge, ProgressReport
from pledges.services.common import lock_pledge, now, require_editor, require_secretariat, require_status, today


def _lock_report(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("pledge__country", "pledge__term")
        .get(pk=report.pk)
    )


@transaction.atomic
@audited("progress.started")
def start_progress_report(*, pledge: Pledge, by) -> ProgressReport:
    """Open (or reopen, if one is in draft) the report that is next due on a published pledge."""
    pledge = lock_pledge(pledge)
    require_editor(by, pledge.country)
    require_status(pledge, Pledge.Status.PUBLISHED)
    due = selectors.next_report(pledge, today=today())
    if due is None:
        raise ValidationError(_("No progress report is due on this pledge any more: its term is ending."),
                              code="nothing_due")
    year, due_on = due
    report = ProgressReport.objects.filter(pledge=pledge, year=year).first()
    if report is not None:
        return report
    report = ProgressReport(pledge=pledge, year=year, due_on=due_on, created_by=by)
    report.save()
    CommitmentProgress.objects.bulk_create([
        CommitmentProgress(report=report, commitment=c) for c in pledge.commitments.order_by("position", "pk")
    ])
    return report


ENTRY_TEXT_FIELDS = ["narrative", "barriers", "lessons", "evidence"]


def refresh_statuses(pledge) -> int:
    """Store each commitment's status as its published values give it (lists filter and count on it)."""
    commitments = list(selectors.commitments_with_indicators(Commitment.objects.filter(pledge=pledge)))
    changed = []
    for row in selectors.tracked(commitments):
        if row["commitment"].status != row["status"]:
            row["commitment"].status = row["status"]
            changed.append(row["commitment"])
    Commitment.objects.bulk_update(changed, ["status"])
    return len(changed)


def _save_values(report: ProgressReport, commitment_id: int, values: dict, indicators: dict[int, Indicator]) -> None:
    stored = {v.indicator_id: v for v in report.values.select_for_update().filter(indicator__commitment_id=commitment_id)}
    for indicator_id, data in values.items():
        indicator = indicators.get(int(indicator_id))
        if indicator is None or indicator.commitment_id != commitment_id:
            raise ValidationError(_("An indicator in the form does not belong to this pledge; reload the page."),
                                  code="foreign_indicator")
        value, year = data.get("value"), data.get("year")
        row = stored.get(indicator.pk)
        if value is None:
            if row is not None:
                row.delete()
            continue
        if not year:
            raise ValidationError(_("Say which year the value of “%(name)s” refers to.") % {"name": indicator},
                                  code="year_required")
        row = row or IndicatorValue(report=report, indicator=indicator)
        row.value, row.year = value, year
        row.full_clean(exclude=["report", "indicator"])
        row.save()


@transaction.atomic
@audited("progress.draft_saved", about="report")
def save_progress_draft(*, report: ProgressReport, by, entries: dict[int, dict]) -> ProgressReport:
    """Save what is written so far. ``entries`` maps a commitment's id to its completion, narrative, barriers,
    lessons, evidence and ``values``: ``{indicator id: {"value": Decimal or None, "year": int}}``.
    """
    report = _lock_report(report)
    require_editor(by, report.pledge.country)
    require_status(report, ProgressReport.Status.DRAFT)
    rows = {e.commitment_id: e for e in report.entries.select_for_update()}
    indicators = {i.pk: i for i in Indicator.objects.filter(commitment__pledge=report.pledge)}
    for commitment_id, data in entries.items():
        entry = rows.get(int(commitment_id))
        if entry is None:
            raise ValidationError(_("A commitment in the form does not belong to this pledge; reload the page."),
                                  code="foreign_commitment")
        completion = data.get("completion") or ""
        if completion and completion not in CommitmentProgress.Completion.values:
            raise ValidationError(_("Unknown completion level: %(value)s.") % {"value": completion}, code="bad_completion")
        entry.completion = completion
        for f in ENTRY_TEXT_FIELDS:
            setattr(entry, f, (data.get(f) or "").strip())
        upload = data.get("evidence_file")
        if upload is False:
            entry.evidence_file = ""  # the form's "clear" box
        elif upload:
            # Checked here as well as in the form: a PDF by its content, without scripts, at most 10 MB.
            validate_pdf(upload)
            entry.evidence_file = upload
        entry.full_clean(exclude=["report", "commitment", "evidence_file"])
        entry.save()
        _save_values(report, entry.commitment_id, data.get("values") or {}, indicators)
    return report


def missing_for_report(report: ProgressReport) -> list[str]:
    problems = []
    entries = report.entries.select_related("commitment").order_by("commitment__position", "commitment__pk")
    for n, e in enumerate(entries, 1):
        missing = []
        if not e.completion:
            missing.append(str(_("a completion level")))
        if not e.narrative:
            missing.append(str(_("a narrative")))
        if missing:
            problems.append(_("Commitment %(n)s needs %(fields)s.") % {"n": n, "fields": ", ".join(missing)})
    return problems


@transaction.atomic
@audited("progress.submitted", about="report")
def submit_progress_report(*, report: ProgressReport, by) -> ProgressReport:
    report = _lock_report(report)
    require_editor(by, report.pledge.country)
    require_status(report, ProgressReport.Status.DRAFT)
    problems = missing_for_report(report)
    if problems:
        raise ValidationError(problems, code="incomplete")
    report.status = ProgressReport.Status.SUBMITTED
    report.submitted_at = now()
    report.submitted_by = by
    report.save()
    emails.to_secretariat(
        "progress_submitted", key=mail.key("pledges.progress_submitted", report.pk, report.submitted_at.isoformat()),
        about=report.pledge, country=report.pledge.country, context={"report": report, "country": report.pledge.country},
        url=("pledges:progress", {"pk": report.pk}),
    )
    return report


@transaction.atomic
@audited("progress.returned", about="report")
def return_progress_report(*, report: ProgressReport, by, comment: str) -> ProgressReport:
    require_secretariat(by)
    report = _lock_report(report)
    require_status(report, ProgressReport.Status.SUBMITTED)
    if not (comment or "").strip():
        raise ValidationError(_("Say what the focal points should change; the comment is sent to them."),
                              code="comment_required")
    report.status = ProgressReport.Status.DRAFT
    report.review_comment = comment.strip()
    report.returned_at = now()
    report.returned_by = by
    report.save()
    emails.to_focal_points(
        report.pledge.country, "progress_returned",
        key=mail.key("pledges.progress_returned", report.pk, report.returned_at.isoformat()), about=report.pledge,
        context={"report": report, "country": report.pledge.country}, url=("pledges:progress-edit", {"pk": report.pk}),
    )
    return report


@transaction.atomic
@audited("progress.published", about="report")
def publish_progress_report(*, report: ProgressReport, by) -> ProgressReport:
    require_secretariat(by)
    report = _lock_report(report)
    require_status(report, ProgressReport.Status.SUBMITTED)
    report.status = ProgressReport.Status.PUBLISHED
    report.review_comment = ""
    report.published_at = now()
    report.published_by = by
    report.save()
    refresh_statuses(report.pledge)
    emails.to_focal_points(
        report.pledge.country, "progress_published", key=mail.key("pledges.progress_published", report.pk),
        about=report.pledge, context={"report": report, "country": report.pledge.country},
        url=("pledges:country", {"iso3": report.pledge.country.iso3.lower()}),
    )
    return report




def send_due_reminders(*, today: date) -> int:
    """Queue 'report due in 30 days' reminders and hand every pending one to the outbox; return the e-mails queued."""
    reminders.queue_report_due(today=today)
    return reminders.deliver_pending(today=today)


def send_overdue_digest(*, today: date) -> int:
    """Queue this week's digest of overdue reports for the secretariat; return the e-mails queued."""
    reminders.queue_overdue_digest(today=today)
    return reminders.deliver_pending(today=today)
