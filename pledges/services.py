"""Pledge business rules: focal points and their invitations, the pledge workflow, progress reports.

Every function takes keyword arguments, runs in one transaction and locks the rows it changes.
Errors are ValidationError with a message a person can act on; nothing changes when one is raised.
E-mails leave only after the transaction commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import access
from coalition import audit, mail
from coalition.audit import audited
from members.models import Country, Membership
from pledges import emails, reminders, selectors
from pledges.models import (
    Commitment,
    CommitmentProgress,
    Component,
    FocalPoint,
    Invitation,
    Lever,
    Pledge,
    PledgeVersion,
    ProgressReport,
)


def _now():
    return timezone.now()


def _today() -> date:
    return timezone.localdate()


def _fmt(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


# --- Who may act ------------------------------------------------------------------------------------


def _require_secretariat(user) -> None:
    if not access.is_secretariat(user):
        raise ValidationError(_("Only secretariat staff may do this."), code="not_secretariat")


def _require_editor(user, country) -> None:
    if not access.may_edit_for(user, country):
        raise ValidationError(
            _("Only an active focal point of %(country)s, while it is a member, may do this.") % {"country": country},
            code="not_focal_point",
        )


def _lock_pledge(pledge: Pledge) -> Pledge:
    return Pledge.objects.select_for_update(of=("self",)).select_related("country", "term", "membership").get(pk=pledge.pk)


def _require_status(obj, *allowed) -> None:
    if obj.status not in allowed:
        raise ValidationError(
            _("This cannot be done now: it is %(status)s.") % {"status": obj.get_status_display().lower()},
            code="wrong_status",
        )


# --- Focal points and invitations ----------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_member(country: Country) -> None:
    if Membership.objects.of(country, on=_today()) is None:
        raise ValidationError(
            _("%(country)s is not a member of the Coalition; only member countries have focal points.")
            % {"country": country},
            code="not_member",
        )


def check_can_invite(*, country: Country, email: str) -> None:
    """The refusals of ``invite_focal_point``, for forms that want to show them next to the fields."""
    _require_member(country)
    email = email.strip()
    if FocalPoint.objects.filter(country=country, user__email__iexact=email, revoked_at__isnull=True).exists():
        raise ValidationError(
            _("%(email)s is already a focal point of %(country)s.") % {"email": email, "country": country},
            code="already_focal_point",
        )
    pending = Invitation.objects.filter(
        country=country, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True,
        expires_at__gt=_now(),
    ).first()
    if pending is not None:
        raise ValidationError(
            _("%(email)s already has an invitation for %(country)s, valid until %(date)s. Revoke it to send a new one.")
            % {"email": email, "country": country, "date": _fmt(timezone.localtime(pending.expires_at).date())},
            code="already_invited",
        )


@transaction.atomic
@audited("focal_point.invited")
def invite_focal_point(*, country: Country, email: str, name: str = "", language: str = "en", by=None) -> Invitation:
    """Send a single-use link, valid for seven days, that makes the invitee a focal point of ``country``.

    The returned invitation carries the raw token as ``.token``; only its hash is stored.
    """
    _require_secretariat(by)
    Country.objects.select_for_update().filter(pk=country.pk).first()
    email = email.strip()
    check_can_invite(country=country, email=email)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    token = secrets.token_urlsafe(32)
    now = _now()
    invitation = Invitation(
        country=country, email=email, name=name.strip(), language=language, token_hash=_hash(token),
        created_at=now, created_by=by, expires_at=now + timedelta(days=Invitation.VALID_DAYS),
    )
    invitation.full_clean(exclude=["token_hash"])
    invitation.save()
    invitation.token = token
    # Sensitive: the link makes whoever holds it a focal point, so the outbox hides it from staff.
    emails.queue(
        "invitation", groups={language: [email]}, key=mail.key("pledges.invitation", invitation.pk),
        about=invitation, country=country, sensitive=True,
        context={"invitation": invitation, "country": country, "expires_on": invitation.expires_at},
        url=("pledges:invitation", {"token": token}),
    )
    return invitation


@transaction.atomic
@audited("focal_point.invitation_revoked", about="invitation")
def revoke_invitation(*, invitation: Invitation, by=None) -> Invitation:
    _require_secretariat(by)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("This invitation was already accepted; revoke the focal point instead."), code="already_accepted"
        )
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was already revoked."), code="already_revoked")
    invitation.revoked_at = _now()
    invitation.revoked_by = by
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


def find_invitation(token: str) -> Invitation | None:
    if not token:
        return None
    return Invitation.objects.select_related("country").filter(token_hash=_hash(token)).first()


def _check_usable(invitation: Invitation) -> None:
    state = invitation.state(_now())
    if state == "accepted":
        raise ValidationError(_("This invitation was already used. Sign in with your e-mail and password."), code="used")
    if state == "revoked":
        raise ValidationError(_("This invitation was withdrawn by the secretariat."), code="revoked")
    if state == "expired":
        raise ValidationError(
            _("This invitation expired. Ask the secretariat (%(email)s) for a new one.")
            % {"email": settings.SECRETARIAT_EMAIL},
            code="expired",
        )


@transaction.atomic
def accept_invitation(*, token: str, password: str = "", full_name: str = "", user=None) -> FocalPoint:
    """Use an invitation: the account (created here with ``password`` if there is none) becomes a focal point.

    The link reached the invitee at the invited address, so that address counts as verified.
    A person who already has an account must be signed in as it (``user``) to accept.
    """
    invitation = find_invitation(token)
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."), code="unknown")
    invitation = Invitation.objects.select_for_update().select_related("country").get(pk=invitation.pk)
    _check_usable(invitation)
    User = get_user_model()
    account = User.objects.filter(email__iexact=invitation.email).first()
    if account is not None:
        if user is None or user.pk != account.pk:
            raise ValidationError(
                _("There is already an account for %(email)s. Sign in with it, then open the invitation link again.")
                % {"email": invitation.email},
                code="sign_in_first",
            )
    else:
        candidate = User(email=invitation.email, full_name=full_name or invitation.name)
        validate_password(password, user=candidate)
        account = User.objects.create_user(
            email=invitation.email, password=password, full_name=(full_name or invitation.name).strip(),
            language=invitation.language,
        )
    address = EmailAddress.objects.filter(user=account, email__iexact=account.email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=account, primary=True).exists()
        EmailAddress.objects.create(user=account, email=account.email, verified=True, primary=not has_primary)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    focal_point = add_focal_point(country=invitation.country, user=account, by=invitation.created_by)
    invitation.accepted_at = _now()
    invitation.focal_point = focal_point
    # The invitee acts here, signed in or not yet: the log and the history name them.
    with audit.acting(user=account):
        invitation.save(update_fields=["accepted_at", "focal_point"])
        audit.record("focal_point.invitation_accepted", invitation, by=account,
                     changes={"accepted_at": [None, str(invitation.accepted_at)]})
    return focal_point


@transaction.atomic
@audited("focal_point.added")
def add_focal_point(*, country: Country, user, by=None) -> FocalPoint:
    """Make ``user``, whose e-mail address is verified, a focal point of the member country ``country``."""
    Country.objects.select_for_update().filter(pk=country.pk).first()
    _require_member(country)
    if not user.is_active:
        raise ValidationError(_("The account of %(email)s is disabled.") % {"email": user.email}, code="inactive")
    if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
        raise ValidationError(
            _("%(email)s has not verified the e-mail address; a focal point must have a verified address.")
            % {"email": user.email},
            code="unverified",
        )
    if FocalPoint.objects.filter(country=country, user=user, revoked_at__isnull=True).exists():
        raise ValidationError(
            _("%(email)s is already a focal point of %(country)s.") % {"email": user.email, "country": country},
            code="already_focal_point",
        )
    focal_point = FocalPoint(country=country, user=user, created_by=by)
    focal_point.save()
    return focal_point


@transaction.atomic
@audited("focal_point.public_contact_set", about="focal_point")
def set_public_contact(*, focal_point: FocalPoint, public: bool, by) -> FocalPoint:
    """Only the person themself decides whether their contact appears on the public country page."""
    focal_point = FocalPoint.objects.select_for_update().get(pk=focal_point.pk)
    if by is None or by.pk != focal_point.user_id:
        raise ValidationError(_("Only the focal point can choose to show their own contact."), code="not_self")
    focal_point.public_contact = public
    focal_point.save(update_fields=["public_contact"])
    return focal_point


@transaction.atomic
@audited("focal_point.revoked", about="focal_point")
def revoke_focal_point(*, focal_point: FocalPoint, by=None) -> FocalPoint:
    _require_secretariat(by)
    focal_point = FocalPoint.objects.select_for_update().get(pk=focal_point.pk)
    if focal_point.revoked_at is not None:
        raise ValidationError(_("This focal point was already revoked."), code="already_revoked")
    focal_point.revoked_at = _now()
    focal_point.revoked_by = by
    focal_point.save(update_fields=["revoked_at", "revoked_by"])
    return focal_point


# --- The pledge ------------------------------------------------------------------------------------

COMMITMENT_FIELDS = ["description", "levers", "components", "indicator", "baseline", "target", "target_date"]


def _copy_commitments(source: Pledge, target: Pledge) -> None:
    Commitment.objects.bulk_create([
        Commitment(pledge=target, position=c.position, **{f: getattr(c, f) for f in COMMITMENT_FIELDS})
        for c in source.commitments.order_by("position", "pk")
    ])


@transaction.atomic
@audited("pledge.started")
def start_pledge(*, country: Country, by, prefill: bool = True) -> Pledge:
    """Open a draft pledge for the country's current term, prefilled from its last pledge."""
    Country.objects.select_for_update().filter(pk=country.pk).first()
    _require_editor(by, country)
    today = _today()
    membership = Membership.objects.of(country, on=today)
    term = membership.current_term(on=today) if membership else None
    if term is None:
        raise ValidationError(
            _("%(country)s has no membership term running today; ask the secretariat.") % {"country": country},
            code="no_term",
        )
    existing = Pledge.objects.filter(term=term).first()
    if existing is not None:
        raise ValidationError(
            _("%(country)s already has a pledge for this term (%(status)s); continue with it.")
            % {"country": country, "status": existing.get_status_display().lower()},
            code="exists",
        )
    previous = Pledge.objects.filter(country=country).order_by("-term__start", "-created_at").first() if prefill else None
    pledge = Pledge(
        country=country, membership=membership, term=term, created_by=by, prefilled_from=previous,
        title=previous.title if previous else "", vision=previous.vision if previous else "",
    )
    pledge.save()
    if previous is not None:
        _copy_commitments(previous, pledge)
    return pledge


def _clean_commitment(data: dict) -> dict:
    cleaned = {f: data.get(f) for f in COMMITMENT_FIELDS}
    for f in ("description", "indicator", "baseline", "target"):
        cleaned[f] = (cleaned[f] or "").strip()
    cleaned["levers"] = [v for v in Lever.values if v in (cleaned["levers"] or [])]
    cleaned["components"] = [v for v in Component.values if v in (cleaned["components"] or [])]
    unknown = set(data.get("levers") or []) - set(Lever.values) | set(data.get("components") or []) - set(Component.values)
    if unknown:
        raise ValidationError(_("Unknown lever or component: %(values)s.") % {"values": ", ".join(sorted(unknown))})
    return cleaned


@transaction.atomic
@audited("pledge.draft_saved", about="pledge")
def save_pledge_draft(*, pledge: Pledge, by, title: str, vision: str, commitments: list[dict]) -> Pledge:
    """Save a draft as it is, complete or not. ``commitments`` lists every commitment in order;
    an item with an ``id`` updates that commitment, one without adds one, and those left out are removed.
    """
    pledge = _lock_pledge(pledge)
    _require_editor(by, pledge.country)
    _require_status(pledge, Pledge.Status.DRAFT)
    existing = {c.pk: c for c in pledge.commitments.select_for_update()}
    keep = set()
    for position, data in enumerate(commitments, start=1):
        cleaned = _clean_commitment(data)
        pk = data.get("id")
        if pk:
            commitment = existing.get(int(pk))
            if commitment is None:
                raise ValidationError(_("A commitment in the form does not belong to this pledge; reload the page."),
                                      code="foreign_commitment")
            keep.add(commitment.pk)
        else:
            commitment = Commitment(pledge=pledge)
        for f, value in cleaned.items():
            setattr(commitment, f, value)
        commitment.position = position
        commitment.save()
    for pk, commitment in existing.items():
        if pk not in keep:
            commitment.delete()
    pledge.title = title.strip()
    pledge.vision = vision.strip()
    pledge.full_clean(exclude=["country", "membership", "term", "prefilled_from"])
    pledge.save()
    return pledge


def missing_for_submission(pledge: Pledge) -> list[str]:
    """What a pledge lacks before it can be submitted, one sentence per problem."""
    problems = []
    if not pledge.title.strip():
        problems.append(_("Give the pledge a title."))
    if not pledge.vision.strip():
        problems.append(_("Write the vision statement."))
    commitments = list(pledge.commitments.order_by("position", "pk"))
    if not commitments:
        problems.append(_("Add at least one commitment."))
    labels = {
        "description": _("a description"), "levers": _("at least one lever"),
        "components": _("at least one PHC component"), "indicator": _("an indicator"),
        "baseline": _("a baseline"), "target": _("a target"), "target_date": _("a target date"),
    }
    today = _today()
    for n, c in enumerate(commitments, start=1):
        missing = [str(label) for f, label in labels.items() if not getattr(c, f)]
        if missing:
            problems.append(_("Commitment %(n)s needs %(fields)s.") % {"n": n, "fields": ", ".join(missing)})
        if c.target_date and c.target_date <= today:
            problems.append(_("Commitment %(n)s: the target date %(date)s has passed; choose a later date.")
                            % {"n": n, "date": _fmt(c.target_date)})
    return problems


def snapshot(pledge: Pledge) -> dict:
    """The pledge's content as plain data, for versions and their diffs."""
    return {
        "title": pledge.title,
        "vision": pledge.vision,
        "commitments": [
            {
                "description": c.description,
                "levers": list(c.levers),
                "components": list(c.components),
                "indicator": c.indicator,
                "baseline": c.baseline,
                "target": c.target,
                "target_date": c.target_date.isoformat() if c.target_date else "",
            }
            for c in pledge.commitments.order_by("position", "pk")
        ],
    }


def _pledge_context(pledge: Pledge) -> dict:
    return {"pledge": pledge, "country": pledge.country}


@transaction.atomic
@audited("pledge.submitted", about="pledge")
def submit_pledge(*, pledge: Pledge, by) -> Pledge:
    """A focal point sends a complete draft to the secretariat; its content is kept as a version."""
    pledge = _lock_pledge(pledge)
    _require_editor(by, pledge.country)
    _require_status(pledge, Pledge.Status.DRAFT)
    problems = missing_for_submission(pledge)
    if problems:
        raise ValidationError(problems, code="incomplete")
    now = _now()
    pledge.status = Pledge.Status.SUBMITTED
    pledge.submitted_at = now
    pledge.submitted_by = by
    pledge.save()
    number = (pledge.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    PledgeVersion.objects.create(pledge=pledge, number=number, snapshot=snapshot(pledge), submitted_at=now, submitted_by=by)
    emails.to_secretariat(
        "pledge_submitted", key=mail.key("pledges.pledge_submitted", pledge.pk, number), about=pledge,
        country=pledge.country, context=_pledge_context(pledge), url=("pledges:detail", {"pk": pledge.pk}),
    )
    return pledge


def _close_version(pledge: Pledge, *, outcome: str, by, comment: str = "") -> None:
    PledgeVersion.objects.filter(pledge=pledge, outcome=PledgeVersion.Outcome.PENDING).update(
        outcome=outcome, comment=comment, reviewed_at=_now(), reviewed_by=by,
    )


@transaction.atomic
@audited("pledge.returned", about="pledge")
def return_pledge(*, pledge: Pledge, by, comment: str) -> Pledge:
    """The secretariat sends a submitted pledge back to draft, saying what to change."""
    _require_secretariat(by)
    pledge = _lock_pledge(pledge)
    _require_status(pledge, Pledge.Status.SUBMITTED)
    if not (comment or "").strip():
        raise ValidationError(_("Say what the focal points should change; the comment is sent to them."),
                              code="comment_required")
    pledge.status = Pledge.Status.DRAFT
    pledge.review_comment = comment.strip()
    pledge.returned_at = _now()
    pledge.returned_by = by
    pledge.save()
    _close_version(pledge, outcome=PledgeVersion.Outcome.RETURNED, by=by, comment=pledge.review_comment)
    emails.to_focal_points(
        pledge.country, "pledge_returned", key=mail.key("pledges.pledge_returned", pledge.pk, pledge.returned_at.isoformat()),
        about=pledge, context=_pledge_context(pledge), url=("pledges:edit", {"pk": pledge.pk}),
    )
    return pledge


@transaction.atomic
@audited("pledge.accepted", about="pledge")
def accept_pledge(*, pledge: Pledge, by) -> Pledge:
    _require_secretariat(by)
    pledge = _lock_pledge(pledge)
    _require_status(pledge, Pledge.Status.SUBMITTED)
    pledge.status = Pledge.Status.ACCEPTED
    pledge.review_comment = ""
    pledge.accepted_at = _now()
    pledge.accepted_by = by
    pledge.save()
    _close_version(pledge, outcome=PledgeVersion.Outcome.ACCEPTED, by=by)
    emails.to_focal_points(
        pledge.country, "pledge_accepted", key=mail.key("pledges.pledge_accepted", pledge.pk), about=pledge,
        context=_pledge_context(pledge), url=("pledges:detail", {"pk": pledge.pk}),
    )
    return pledge


@transaction.atomic
@audited("pledge.published", about="pledge")
def publish_pledge(*, pledge: Pledge, by) -> Pledge:
    _require_secretariat(by)
    pledge = _lock_pledge(pledge)
    _require_status(pledge, Pledge.Status.ACCEPTED)
    pledge.status = Pledge.Status.PUBLISHED
    pledge.published_at = _now()
    pledge.published_by = by
    pledge.save()
    emails.to_focal_points(
        pledge.country, "pledge_published", key=mail.key("pledges.pledge_published", pledge.pk), about=pledge,
        context=_pledge_context(pledge), url=("pledges:country", {"iso3": pledge.country.iso3.lower()}),
    )
    return pledge


# --- Progress reports -------------------------------------------------------------------------------


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
    pledge = _lock_pledge(pledge)
    _require_editor(by, pledge.country)
    _require_status(pledge, Pledge.Status.PUBLISHED)
    due = selectors.next_report(pledge, today=_today())
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


@transaction.atomic
@audited("progress.draft_saved", about="report")
def save_progress_draft(*, report: ProgressReport, by, entries: dict[int, dict]) -> ProgressReport:
    """Save what is written so far; ``entries`` maps a commitment's id to its status, current value and narrative."""
    report = _lock_report(report)
    _require_editor(by, report.pledge.country)
    _require_status(report, ProgressReport.Status.DRAFT)
    rows = {e.commitment_id: e for e in report.entries.select_for_update()}
    for commitment_id, data in entries.items():
        entry = rows.get(int(commitment_id))
        if entry is None:
            raise ValidationError(_("A commitment in the form does not belong to this pledge; reload the page."),
                                  code="foreign_commitment")
        status = data.get("status") or ""
        if status and status not in CommitmentProgress.Status.values:
            raise ValidationError(_("Unknown status: %(status)s.") % {"status": status}, code="bad_status")
        entry.status = status
        entry.current_value = (data.get("current_value") or "").strip()
        entry.narrative = (data.get("narrative") or "").strip()
        entry.full_clean(exclude=["report", "commitment"])
        entry.save()
    return report


def missing_for_report(report: ProgressReport) -> list[str]:
    problems = []
    for n, e in enumerate(report.entries.select_related("commitment").order_by("commitment__position", "commitment__pk"), 1):
        missing = []
        if not e.status:
            missing.append(str(_("a status")))
        if not e.current_value:
            missing.append(str(_("the indicator's current value")))
        if not e.narrative:
            missing.append(str(_("a narrative")))
        if missing:
            problems.append(_("Commitment %(n)s needs %(fields)s.") % {"n": n, "fields": ", ".join(missing)})
    return problems


@transaction.atomic
@audited("progress.submitted", about="report")
def submit_progress_report(*, report: ProgressReport, by) -> ProgressReport:
    report = _lock_report(report)
    _require_editor(by, report.pledge.country)
    _require_status(report, ProgressReport.Status.DRAFT)
    problems = missing_for_report(report)
    if problems:
        raise ValidationError(problems, code="incomplete")
    report.status = ProgressReport.Status.SUBMITTED
    report.submitted_at = _now()
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
    _require_secretariat(by)
    report = _lock_report(report)
    _require_status(report, ProgressReport.Status.SUBMITTED)
    if not (comment or "").strip():
        raise ValidationError(_("Say what the focal points should change; the comment is sent to them."),
                              code="comment_required")
    report.status = ProgressReport.Status.DRAFT
    report.review_comment = comment.strip()
    report.returned_at = _now()
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
    _require_secretariat(by)
    report = _lock_report(report)
    _require_status(report, ProgressReport.Status.SUBMITTED)
    report.status = ProgressReport.Status.PUBLISHED
    report.review_comment = ""
    report.published_at = _now()
    report.published_by = by
    report.save()
    emails.to_focal_points(
        report.pledge.country, "progress_published", key=mail.key("pledges.progress_published", report.pk),
        about=report.pledge, context={"report": report, "country": report.pledge.country},
        url=("pledges:country", {"iso3": report.pledge.country.iso3.lower()}),
    )
    return report


# --- Reminders -------------------------------------------------------------------------------------


def send_due_reminders(*, today: date) -> int:
    """Queue 'report due in 30 days' reminders and hand every pending one to the outbox; return the e-mails queued."""
    reminders.queue_report_due(today=today)
    return reminders.deliver_pending(today=today)


def send_overdue_digest(*, today: date) -> int:
    """Queue this week's digest of overdue reports for the secretariat; return the e-mails queued."""
    reminders.queue_overdue_digest(today=today)
    return reminders.deliver_pending(today=today)
