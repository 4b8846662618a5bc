"""Membership business rules: accession, terms, notice, renewal and reminders.

Every function takes keyword arguments, runs in one transaction and locks the rows it changes.
Errors are ValidationError with a message a person can act on; nothing changes when one is raised.
"""

from __future__ import annotations

import logging
from datetime import date

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coalition import audit, history
from coalition.audit import audited
from members import dates, reminders
from members.core_group import end_seat, end_seats_with_membership, grant_seat  # noqa: F401 - the contract
from members.models import Country, LetterOfInterest, Membership, Notice, Reminder, Term
from members.validators import validate_pdf

logger = logging.getLogger(__name__)


def _today() -> date:
    return timezone.localdate()


def _fmt(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _lock_country(country: Country) -> None:
    # Accession decisions for one country are serialised on its row.
    Country.objects.select_for_update().filter(pk=country.pk).first()


def check_received_on(received_on: date) -> None:
    """A letter cannot have reached the Secretariat after today (forms call this too)."""
    if received_on > _today():
        raise ValidationError(
            _("The date received, %(date)s, is in the future. Enter the date the letter reached the Secretariat.")
            % {"date": _fmt(received_on)},
            code="future_date",
        )


def check_can_accede(*, country: Country, received_on: date) -> None:
    check_received_on(received_on)
    open_membership = Membership.objects.open().filter(country=country).first() or (
        Membership.objects.filter(country=country, ended_on__gt=received_on).first()
    )
    if open_membership is not None:
        raise ValidationError(
            _("%(country)s is already a member (since %(date)s). A new letter can be accepted only after its membership ends.")
            % {"country": country, "date": _fmt(open_membership.started_on)},
            code="already_member",
        )


@audited("letter.recorded")
def record_letter(*, country: Country, received_on: date, by=None, **fields) -> LetterOfInterest:
    """Record a letter of interest as received, pending the Secretariat's decision.

    Refused at once for a country that is a member on that date, rather than at Accept; and the
    terms of reference require the letter to name a contact person.
    """
    check_can_accede(country=country, received_on=received_on)
    if not (fields.get("contact_name") or "").strip():
        raise ValidationError({"contact_name": _("Give the contact person the letter names.")}, code="no_contact")
    letter = LetterOfInterest(country=country, received_on=received_on, **fields)
    letter.full_clean(exclude=["letter"])
    letter.save()
    return letter


@transaction.atomic
@audited("letter.accepted", about="letter")
def accept_letter(*, letter: LetterOfInterest, by=None) -> Membership:
    """Accession: the letter is accepted and a membership starts on the date it was received."""
    letter = LetterOfInterest.objects.select_for_update().get(pk=letter.pk)
    if letter.status != LetterOfInterest.Status.PENDING:
        raise ValidationError(
            _("This letter was already %(status)s.") % {"status": letter.get_status_display().lower()},
            code="already_decided",
        )
    _lock_country(letter.country)
    check_can_accede(country=letter.country, received_on=letter.received_on)
    letter.status = LetterOfInterest.Status.ACCEPTED
    letter.decided_at = timezone.now()
    letter.decided_by = by
    letter.save()
    start = letter.received_on
    membership = Membership(country=letter.country, letter=letter, started_on=start, expires_on=dates.term_end(start))
    membership.save()
    term = Term(membership=membership, number=1, start=start, end=membership.expires_on)
    term.save()
    # A letter accepted long after it arrived starts a membership whose first term may be over.
    _renew(membership=membership, today=_today(), by=by)
    current = membership.terms.filter(start__lte=_today()).order_by("-number").first() or term
    _queue_reminder(membership=membership, term=current, kind=Reminder.Kind.WELCOME)
    return membership


@transaction.atomic
@audited("letter.declined", about="letter")
def decline_letter(*, letter: LetterOfInterest, reason: str, by=None) -> LetterOfInterest:
    letter = LetterOfInterest.objects.select_for_update().get(pk=letter.pk)
    if letter.status != LetterOfInterest.Status.PENDING:
        raise ValidationError(
            _("This letter was already %(status)s.") % {"status": letter.get_status_display().lower()},
            code="already_decided",
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason for declining; it is kept in the record."), code="reason_required")
    letter.status = LetterOfInterest.Status.DECLINED
    letter.decline_reason = reason.strip()
    letter.decided_at = timezone.now()
    letter.decided_by = by
    letter.save()
    return letter


@transaction.atomic
def accede(*, country: Country, received_on: date, contact_name: str = "", contact_email: str = "", by=None, **extra) -> Membership:
    """Record an accepted letter of interest and start the membership it brings."""
    _lock_country(country)
    check_can_accede(country=country, received_on=received_on)
    letter = record_letter(
        country=country, received_on=received_on, contact_name=contact_name, contact_email=contact_email,
        by=by, **extra,
    )
    return accept_letter(letter=letter, by=by)


def _lock_membership(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related("country", "letter").get(pk=membership.pk)


@transaction.atomic
@audited("membership.notice_given", about="membership")
def give_notice(*, membership: Membership, received_on: date, document=None, reference: str = "", note: str = "",
                by=None) -> date:
    """Record written notice; return the date on which the membership will end.

    Notice on or before the term's deadline (end minus six months) ends the membership at the end
    of that term. Later notice cannot stop the renewal: the membership ends a term later.
    ``document`` is the scanned letter (a PDF, checked like letters of interest); the country is
    told what the notice does.
    """
    membership = _lock_membership(membership)
    today = _today()
    ended_on = membership.ended_on or (membership.ends_on if membership.ends_on and membership.ends_on <= today else None)
    if ended_on is not None:
        raise ValidationError(
            _("This membership ended on %(date)s; there is nothing to give notice of.") % {"date": _fmt(ended_on)},
            code="ended",
        )
    if received_on > today:
        raise ValidationError(
            _("The notice date, %(date)s, is in the future. Enter the date the notice reached the Secretariat.")
            % {"date": _fmt(received_on)},
            code="future_date",
        )
    if received_on < membership.started_on:
        raise ValidationError(
            _("The notice date, %(date)s, is before the membership began on %(start)s.")
            % {"date": _fmt(received_on), "start": _fmt(membership.started_on)},
            code="before_start",
        )
    pending = membership.pending_notice()
    if pending is not None:
        raise ValidationError(
            _("Notice received on %(date)s is already pending: the membership ends on %(end)s. Withdraw it first to record another.")
            % {"date": _fmt(pending.received_on), "end": _fmt(pending.effective_end)},
            code="notice_pending",
        )
    # The term covering the notice must exist even if the daily renewal has not run yet.
    _renew(membership=membership, today=received_on, by=by)
    term = membership.terms.get(start__lte=received_on, end__gt=received_on)
    late = received_on > term.notice_deadline
    effective_end = dates.term_end(term.end) if late else term.end
    _check_document(document)
    notice = Notice(
        membership=membership, term=term, received_on=received_on, late=late,
        effective_end=effective_end, recorded_by=by, reference=(reference or "").strip(), note=(note or "").strip(),
    )
    if document:
        notice.document = document
    notice.save()
    membership.ends_on = effective_end
    membership.save(update_fields=["ends_on"])
    _queue_reminder(membership=membership, term=term, notice=notice, kind=Reminder.Kind.NOTICE_RECORDED)
    return effective_end


@transaction.atomic
@audited("membership.notice_withdrawn", about="membership")
def withdraw_notice(*, membership: Membership, on: date, document=None, reference: str = "", note: str = "",
                    by=None) -> None:
    """Withdraw the pending notice before the membership ends: automatic renewal is restored.

    The withdrawal keeps its own letter, reference and note; the country receives a confirmation.
    """
    membership = _lock_membership(membership)
    notice = membership.pending_notice()
    if notice is None:
        raise ValidationError(_("There is no pending notice to withdraw."), code="no_notice")
    if on > _today():
        raise ValidationError(
            _("The withdrawal date, %(date)s, is in the future.") % {"date": _fmt(on)}, code="future_date"
        )
    if on < notice.received_on:
        raise ValidationError(
            _("A notice cannot be withdrawn (%(date)s) before it was received (%(received)s).")
            % {"date": _fmt(on), "received": _fmt(notice.received_on)},
            code="before_notice",
        )
    if on >= notice.effective_end or membership.ended_on is not None:
        raise ValidationError(
            _("The membership ended on %(date)s; the notice can no longer be withdrawn.") % {"date": _fmt(notice.effective_end)},
            code="ended",
        )
    _check_document(document)
    notice.withdrawn_on = on
    notice.withdrawn_by = by
    notice.withdrawal_reference = (reference or "").strip()
    notice.withdrawal_note = (note or "").strip()
    if document:
        notice.withdrawal_document = document
    notice.save()
    membership.ends_on = None
    membership.save(update_fields=["ends_on"])
    # Reminders of the termination that will not happen are not sent; the confirmation is.
    reminders.cancel_for_notice(notice)
    _queue_reminder(membership=membership, term=notice.term, notice=notice, kind=Reminder.Kind.NOTICE_WITHDRAWN)


def _check_document(document) -> None:
    if document:
        validate_pdf(document)


def _advance(membership: Membership, *, last_number: int, today: date) -> list[Term]:
    """Bring ``membership`` up to ``today`` in memory: the terms to add, or ``ended_on`` set.

    A membership with no effective notice always ends up with a term covering ``today``.
    """
    new_terms = []
    while membership.ended_on is None and membership.expires_on <= today:
        if membership.ends_on is not None and membership.ends_on <= membership.expires_on:
            membership.ended_on = membership.ends_on
            break
        last_number += 1
        term = Term(membership=membership, number=last_number, start=membership.expires_on,
                    end=dates.term_end(membership.expires_on))
        new_terms.append(term)
        membership.expires_on = term.end
    return new_terms


def _save_advanced(memberships: list[Membership], new_terms: list[Term], *, today: date, by=None) -> None:
    """Write what ``_advance`` decided, with history, and announce terms that cover ``today``."""
    if not new_terms and not any(m.ended_on for m in memberships):
        return
    Term.objects.bulk_create(new_terms)
    _write_dates(memberships)
    history.record_changed(Term, [t.pk for t in new_terms], history_type="+", user=by)
    history.record_changed(Membership, [m.pk for m in memberships], user=by)
    renewed: dict[int, list[Term]] = {}
    for term in new_terms:
        renewed.setdefault(term.membership_id, []).append(term)
    audit.record_many([
        ("membership.ended", m, {"ended_on": [None, str(m.ended_on)]}) if m.ended_on is not None else
        ("membership.renewed", m, {"expires_on": [str(renewed[m.pk][0].start), str(m.expires_on)],
                                   "terms": [None, [t.number for t in renewed[m.pk]]]})
        for m in memberships if m.ended_on is not None or m.pk in renewed
    ], by=by)
    for membership in memberships:
        if membership.ended_on is not None:
            end_seats_with_membership(country=membership.country_id, on=membership.ended_on)
    announced = [
        Reminder(membership=t.membership, term=t, kind=Reminder.Kind.TERM_RENEWED)
        for t in new_terms if t.start <= today < t.end
    ]
    if announced:
        Reminder.objects.bulk_create(announced, ignore_conflicts=True)
        transaction.on_commit(_deliver_soon)


def _write_dates(memberships: list[Membership]) -> None:
    """Each locked membership's expires_on and ended_on, in one statement.

    Django's bulk_update builds a CASE expression per row and field, copied for each object: at
    10,000 memberships that was half the five-year catch-up's time. The rows are locked by the caller.
    """
    table = Membership._meta.db_table
    expires, ended = (Membership._meta.get_field(f).column for f in ("expires_on", "ended_on"))
    rows = ", ".join(["(%s::bigint, %s::date, %s::date)"] * len(memberships))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS m SET {expires} = v.expires_on, {ended} = v.ended_on"  # names from the model, values as parameters
            f" FROM (VALUES {rows}) AS v(id, expires_on, ended_on) WHERE m.id = v.id",
            [value for m in memberships for value in (m.pk, m.expires_on, m.ended_on)],
        )


def _renew(*, membership: Membership, today: date, by=None) -> int:
    """Renew one locked membership up to ``today`` (or end it at its effective notice)."""
    if membership.ended_on is not None or membership.expires_on > today:
        return 0
    last_number = membership.terms.aggregate(n=Max("number"))["n"]
    new_terms = _advance(membership, last_number=last_number, today=today)
    _save_advanced([membership], new_terms, today=today, by=by)
    return len(new_terms)


BATCH = 500


def renew_due_memberships(*, today: date) -> int:
    """Renew every membership whose term ended on or before ``today``; end those whose notice came due.

    Returns the number of terms created. Due memberships are found by one indexed query and
    handled in locked batches with a fixed number of queries each, so memberships that need
    nothing cost nothing. Safe to run twice or concurrently: a concurrent run skips locked rows,
    and the database refuses a duplicate or overlapping term.
    """
    created = 0
    while True:
        with transaction.atomic():
            # The country comes along: the audit log names it for each renewal (one query, not one each).
            batch = list(
                Membership.objects.select_for_update(skip_locked=True, of=("self",)).select_related("country")
                .filter(ended_on__isnull=True, expires_on__lte=today)
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return created
            last_numbers = dict(
                Term.objects.filter(membership__in=batch).values("membership")
                .annotate(n=Max("number")).values_list("membership", "n")
            )
            new_terms = []
            for membership in batch:
                new_terms += _advance(membership, last_number=last_numbers[membership.pk], today=today)
            _save_advanced(batch, new_terms, today=today)
            created += len(new_terms)


def _queue_reminder(*, membership: Membership, term: Term, kind: str, notice: Notice | None = None) -> None:
    Reminder.objects.bulk_create(
        [Reminder(membership=membership, term=term, notice=notice, kind=kind)], ignore_conflicts=True
    )
    transaction.on_commit(_deliver_soon)


def _deliver_soon():
    # By name: tasks import services, never the reverse. A broker that is down costs only time:
    # the daily run hands the pending reminder to the outbox.
    try:
        current_app.send_task("members.tasks.deliver_reminders")
    except Exception:  # noqa: BLE001 - the reminder row is committed and pending
        logger.exception("Could not queue the delivery of membership reminders; the daily run will.")


def send_due_reminders(*, today: date) -> int:
    """Queue the reminders due on ``today`` and hand every pending one to the outbox; return the e-mails queued.

    Each reminder is one row, unique per term, kind and notice, so a second or concurrent run
    finds it already there; a reminder whose moment was missed is still sent while what it warns
    about lies ahead, and marked obsolete after.
    """
    reminders.queue_due(today=today)
    return reminders.deliver_pending(today=today)
