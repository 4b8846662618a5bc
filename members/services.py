"""Membership business rules: accession, terms, notice, renewal and reminders.

Every function takes keyword arguments, runs in one transaction and locks the rows it changes.
Errors are ValidationError with a message a person can act on; nothing changes when one is raised.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import NamedTuple

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coalition import audit, bulk, history
from coalition.audit import audited
from members import dates, reminders
from members.core_group import end_seat, end_seats_with_membership, grant_seat  # noqa: F401 - the contract
from members.models import Country, LetterOfInterest, Membership, Notice, Reminder, Term
from members.names import country_name
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


_Terms = tuple[tuple[int, date, date], ...]  # (number, start, end)


class _Renewal(NamedTuple):
    """What bringing one locked membership up to a day decided: the terms it gains, or the day it ended."""

    membership_id: int
    country_id: int
    name: str  # as str(membership) reads, for the audit log
    due_on: date  # the end of its last term
    terms: _Terms
    ended_on: date | None

    @property
    def expires_on(self) -> date:
        return self.terms[-1][2] if self.terms else self.due_on


def _advance(*, expires_on: date, ends_on: date | None, last_number: int,
             today: date) -> tuple[_Terms, date | None]:
    """The terms that bring a membership up to ``today`` and the day it ended, if its effective notice
    came first.

    A membership with no effective notice always ends up with a term covering ``today``.
    """
    terms = []
    while expires_on <= today:
        if ends_on is not None and ends_on <= expires_on:
            return tuple(terms), ends_on
        last_number += 1
        terms.append((last_number, expires_on, dates.term_end(expires_on)))
        expires_on = terms[-1][2]
    return tuple(terms), None


def _membership_name(*, iso2: str, country: str, started_on: date) -> str:
    # What str(membership) says, without building a Membership and a Country for each of thousands of rows.
    return Membership.describe(country=country_name(iso2, country), started_on=started_on)


def _audit_entry(renewal: _Renewal) -> tuple:
    about = audit.About(Membership, renewal.membership_id, renewal.name, renewal.country_id)
    if renewal.ended_on is not None:
        return "membership.ended", about, {"ended_on": [None, str(renewal.ended_on)]}
    return "membership.renewed", about, {"expires_on": [str(renewal.due_on), str(renewal.expires_on)],
                                         "terms": [None, [number for number, start, end in renewal.terms]]}


def _save_renewals(renewals: list[_Renewal], *, today: date, by=None) -> None:
    """Write what ``_advance`` decided for locked memberships, with history and audit; announce each new
    term that covers ``today``.

    One statement per table whatever the number of memberships, and no ORM object per row: building
    Terms, Reminders and Actions, and the memberships they came from, was most of the five-year
    catch-up's time (coalition.bulk, coalition.history).
    """
    renewals = [r for r in renewals if r.terms or r.ended_on is not None]
    if not renewals:
        return
    created = bulk.insert(Term, [
        {"membership_id": r.membership_id, "number": number, "start": start, "end": end}
        for r in renewals for number, start, end in r.terms
    ], returning=("id", "membership_id", "start", "end"))
    bulk.update(Membership, [{"id": r.membership_id, "expires_on": r.expires_on, "ended_on": r.ended_on}
                             for r in renewals])
    history.record_changed(Term, [term_id for term_id, *rest in created], history_type="+", user=by)
    history.record_changed(Membership, [r.membership_id for r in renewals], user=by)
    audit.record_many((_audit_entry(r) for r in renewals), by=by)
    for r in renewals:
        if r.ended_on is not None:
            end_seats_with_membership(country=r.country_id, on=r.ended_on)
    announced = [(membership_id, pk) for pk, membership_id, start, end in created if start <= today < end]
    if announced:
        bulk.insert(Reminder, [{"membership_id": m, "term_id": t} for m, t in announced],
                    same={"kind": Reminder.Kind.TERM_RENEWED}, ignore_conflicts=True)
        transaction.on_commit(_deliver_soon)


def _renew(*, membership: Membership, today: date, by=None) -> int:
    """Renew one locked membership up to ``today`` (or end it at its effective notice)."""
    if membership.ended_on is not None or membership.expires_on > today:
        return 0
    terms, ended_on = _advance(expires_on=membership.expires_on, ends_on=membership.ends_on, today=today,
                               last_number=membership.terms.aggregate(n=Max("number"))["n"])
    renewal = _Renewal(membership.pk, membership.country_id, str(membership), membership.expires_on,
                       terms, ended_on)
    _save_renewals([renewal], today=today, by=by)
    membership.expires_on, membership.ended_on = renewal.expires_on, ended_on
    return len(terms)


# A batch costs over 10 ms whatever its size (a transaction, its commit and seven statements): in
# batches of 500 that was a tenth of the five-year catch-up of 10,000 memberships. The 194 WHO
# Member States fit in one batch either way; the size bounds how long a batch holds its locks.
BATCH = 2000


def renew_due_memberships(*, today: date) -> int:
    """Renew every membership whose term ended on or before ``today``; end those whose notice came due.

    Returns the number of terms created. Due memberships are found by one indexed query and
    handled in locked batches with a fixed number of queries each, so memberships that need
    nothing cost nothing. Safe to run twice or concurrently: a concurrent run skips locked rows,
    and the database refuses a duplicate or overlapping term.
    """
    last_number = Term.objects.filter(membership=OuterRef("pk")).order_by("-number").values("number")[:1]
    created = 0
    while True:
        with transaction.atomic():
            # Values, not objects: thousands of memberships and countries built only to be read were, with
            # the garbage collector's passes over them, a third of the catch-up's Python time. The country
            # comes along for the audit log (one query, not one each).
            due = list(
                Membership.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(ended_on__isnull=True, expires_on__lte=today)
                .annotate(last_number=Subquery(last_number))
                .order_by("pk")
                .values_list("pk", "country_id", "country__iso2", "country__name", "started_on", "expires_on",
                             "ends_on", "last_number")[:BATCH]
            )
            if not due:
                return created
            renewals = [
                _Renewal(pk, country_id, _membership_name(iso2=iso2, country=country, started_on=started_on),
                         due_on, *_advance(expires_on=due_on, ends_on=ends_on, last_number=last, today=today))
                for pk, country_id, iso2, country, started_on, due_on, ends_on, last in due
            ]
            _save_renewals(renewals, today=today)
            created += sum(len(r.terms) for r in renewals)


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
