"""Event business rules: creating events, registering, the waiting list, cancelling, attendance.

Every function takes keyword arguments and runs in one transaction. Registrations of an event are
serialised on the event's row (locked first, always), which is what keeps the capacity exact when
people register at the same moment; the database refuses overbooking as a last guard.
Errors are ValidationError with a message a person can act on; nothing changes when one is raised.
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import datetime
from datetime import timezone as dt_timezone

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone as dj_timezone
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import access
from coalition.audit import audited
from events import notifications, selectors
from events.models import Event, Kind, Material, Notification, Registration, validate_timezone

logger = logging.getLogger(__name__)

_LOCAL_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
# Changing these makes calendar programs replace the copy they hold (RFC 5545 SEQUENCE).
_CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "timezone", "venue", "online_url", "description")


def _aware(value, zone) -> datetime | None:
    """A naive time is a wall-clock time at the event's place; the result is in UTC.

    UTC because Python subtracts two times of one zone by their wall clocks, which is an hour off
    across a daylight-saving change. Microseconds go: calendars carry whole seconds.
    """
    if value is None:
        return None
    if dj_timezone.is_naive(value):
        value = value.replace(tzinfo=zone)
    return value.astimezone(dt_timezone.utc).replace(microsecond=0)


def _fmt(moment: datetime, zone) -> str:
    return date_format(moment.astimezone(zone), "DATETIME_FORMAT")


@audited("event.created")
def create_event(*, title, kind, starts_at, ends_at, timezone, capacity=None, public=True, **extra) -> Event:
    """Create an event. Naive times are read in the event's ``timezone``.

    ``extra`` takes the other fields of Event (theme, occasion, description, venue, online_url,
    registration_opens_at, registration_closes_at).
    """
    try:
        validate_timezone(timezone)
    except ValidationError as error:
        raise ValidationError({"timezone": error.messages}) from None
    zone = zoneinfo.ZoneInfo(timezone)
    event = Event(
        title=title, kind=kind, timezone=timezone, capacity=capacity,
        # Core Group meetings are closed by nature; no caller should have to remember it.
        public=public and kind != Kind.CORE_GROUP,
        starts_at=_aware(starts_at, zone), ends_at=_aware(ends_at, zone),
        **{k: _aware(v, zone) if k in _LOCAL_FIELDS else v for k, v in extra.items()},
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
@audited("event.saved", about="event")
def save_event(*, event: Event) -> Event:
    """Save an event edited in the admin; a larger capacity moves people up from the waiting list."""
    if event.kind == Kind.CORE_GROUP:
        event.public = False
    for field in _LOCAL_FIELDS:
        setattr(event, field, _aware(getattr(event, field), event.zone))
    if event.pk is None:
        event.full_clean()
        event.save()
        return event
    current = Event.objects.select_for_update().get(pk=event.pk)
    # The form's copy may predate registrations made while it was open.
    event.confirmed_count = current.confirmed_count
    event.sequence = current.sequence + any(getattr(current, f) != getattr(event, f) for f in _CALENDAR_FIELDS)
    event.full_clean()
    event.save()
    _fill_from_waiting_list(event)
    return event


@transaction.atomic
@audited("event.material_added")
def add_material(*, event: Event, kind: str, title: str, file=None, url: str = "") -> Material:
    material = Material(event=event, kind=kind, title=title, url=url)
    if file is not None:
        material.file = file
    material.full_clean(exclude=["event"])
    material.save()
    return material


def _check_registrant(*, event: Event, country, by) -> tuple:
    """Who may register whom: returns the country and whether the person is its confirmed delegate.

    Only the Secretariat and a country's focal points register delegates of a country; on the
    public form a country is what the registrant says of themselves, and confirms nothing.
    """
    if access.is_secretariat(by):
        # The Secretariat convenes the meetings: it may also invite observers to a Core Group meeting.
        return country, country is not None
    own_countries = access.countries_of(by)
    if own_countries:
        if not selectors.can_view(by, event):
            raise ValidationError(_("This event does not exist or is not open to you."), code="not_visible")
        if country is None and len(own_countries) == 1:
            country = own_countries[0]
        if country is None or country.pk not in {c.pk for c in own_countries}:
            raise ValidationError(
                _("Choose one of your countries: %(countries)s.") % {"countries": ", ".join(str(c) for c in own_countries)},
                code="not_your_country",
            )
        if not selectors.may_attend(country, event):
            raise ValidationError(
                _("This meeting is for Core Group countries; %(country)s does not hold a seat.") % {"country": country},
                code="not_core_group",
            )
        return country, True
    if not event.public:
        raise ValidationError(_("This event is not open to public registration."), code="not_public")
    return country, False


def _check_window(*, event: Event, by) -> None:
    state = event.registration_state()
    if state == "over":
        raise ValidationError(_("This event has already taken place."), code="over")
    # The secretariat may still add people after registration closes.
    if state == "open" or access.is_secretariat(by):
        return
    if state == "not_yet":
        raise ValidationError(
            _("Registration opens on %(date)s.") % {"date": _fmt(event.registration_opens_at, event.zone)},
            code="not_yet_open",
        )
    raise ValidationError(_("Registration for this event is closed."), code="closed")


@transaction.atomic
@audited("registration.created")
def register(*, event: Event, name: str, email: str, country=None, by=None, organisation: str = "",
             language: str | None = None) -> Registration:
    """Register a person: a confirmed place while there is room, else a place on the waiting list.

    ``by`` is the signed-in focal point or staff member registering themselves or a delegate;
    ``None`` for the public form. The person is e-mailed once the transaction commits.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    name, email, organisation = (name or "").strip(), (email or "").strip(), (organisation or "").strip()
    if not name:
        raise ValidationError(_("Enter the name of the person to register."), code="no_name")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Enter a valid e-mail address, such as name@example.org."), code="bad_email")
    country, delegate = _check_registrant(event=event, country=country, by=by)
    _check_window(event=event, by=by)
    existing = event.registrations.exclude(status=Registration.Status.CANCELLED).filter(email__iexact=email).first()
    if existing is not None:
        raise ValidationError(
            _("%(email)s is already registered for this event (%(status)s). The confirmation e-mail has a link "
              "to the registration.") % {"email": email, "status": existing.get_status_display().lower()},
            code="duplicate",
        )
    _fill_from_waiting_list(event)
    now = dj_timezone.now()
    room = event.capacity is None or event.confirmed_count < event.capacity
    registration = Registration.objects.create(
        event=event, name=name, email=email, organisation=organisation, country=country,
        registered_by=by if by is not None and by.is_authenticated else None,
        language=language or translation.get_language() or "en",
        status=Registration.Status.CONFIRMED if room else Registration.Status.WAITLISTED,
        confirmed_at=now if room else None,
        delegate_confirmed_at=now if delegate else None,
        delegate_confirmed_by=by if delegate else None,
    )
    if room:
        event.confirmed_count += 1
        event.save(update_fields=["confirmed_count"])
    _notify(registration, Notification.Kind.CONFIRMED if room else Notification.Kind.WAITLISTED)
    return registration


@transaction.atomic
@audited("registration.delegate_confirmed", about="registration")
def confirm_delegate(*, registration: Registration, by) -> Registration:
    """A country's focal point (or the Secretariat) confirms a person who named the country as its delegate."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update(of=("self",)).select_related("country").get(pk=registration.pk)
    country = registration.country
    if country is None or not access.may_register_delegates_of(by, country):
        raise ValidationError(_("Only the country's focal points or the Secretariat may confirm its delegates."),
                              code="not_allowed")
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("This registration is cancelled."), code="cancelled")
    if registration.is_delegate:
        raise ValidationError(_("%(name)s is already a confirmed delegate of %(country)s.")
                              % {"name": registration.name, "country": country}, code="already_confirmed")
    if not access.is_secretariat(by) and not selectors.may_attend(country, event):
        raise ValidationError(
            _("This meeting is for Core Group countries; %(country)s does not hold a seat.") % {"country": country},
            code="not_core_group",
        )
    registration.delegate_confirmed_at = dj_timezone.now()
    registration.delegate_confirmed_by = by
    registration.save(update_fields=["delegate_confirmed_at", "delegate_confirmed_by"])
    return registration


@transaction.atomic
@audited("registration.cancelled", about="registration")
def cancel(*, registration: Registration) -> Registration:
    """Cancel a registration; a freed place goes to the first person on the waiting list."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(
            _("This registration was already cancelled on %(date)s.") % {"date": _fmt(registration.cancelled_at, event.zone)},
            code="already_cancelled",
        )
    if dj_timezone.now() >= event.starts_at:
        raise ValidationError(
            _("The event has started; registrations can no longer be cancelled. Write to the secretariat instead."),
            code="started",
        )
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = dj_timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if was_confirmed:
        event.confirmed_count -= 1
        event.save(update_fields=["confirmed_count"])
    _notify(registration, Notification.Kind.CANCELLED)
    _fill_from_waiting_list(event)
    return registration


def _fill_from_waiting_list(event: Event) -> int:
    """Confirm waiting people, first come first served, while there is room (event row locked)."""
    if dj_timezone.now() >= event.starts_at:
        return 0
    promoted = 0
    while event.capacity is None or event.confirmed_count < event.capacity:
        nxt = (
            event.registrations.select_for_update()
            .filter(status=Registration.Status.WAITLISTED)
            .order_by("created_at", "pk")
            .first()
        )
        if nxt is None:
            break
        nxt.status = Registration.Status.CONFIRMED
        nxt.confirmed_at = dj_timezone.now()
        nxt.save(update_fields=["status", "confirmed_at"])
        event.confirmed_count += 1
        promoted += 1
        _notify(nxt, Notification.Kind.PROMOTED)
    if promoted:
        event.save(update_fields=["confirmed_count"])
    return promoted


@transaction.atomic
@audited("registration.attendance_marked")
def mark_attendance(*, registrations, attended: bool | None) -> int:
    """Record who came (``True``), who did not (``False``), or clear it (``None``)."""
    rows = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(pk__in=[r.pk for r in registrations])
        .select_related("event")
    )
    now = dj_timezone.now()
    for r in rows:
        if r.status != Registration.Status.CONFIRMED:
            raise ValidationError(
                _("%(name)s is %(status)s: attendance is recorded for confirmed registrations only.")
                % {"name": r.name, "status": r.get_status_display().lower()},
                code="not_confirmed",
            )
        if now < r.event.starts_at:
            raise ValidationError(
                _("“%(event)s” has not started yet: attendance is recorded after the event starts.") % {"event": r.event},
                code="not_started",
            )
    Registration.objects.filter(pk__in=[r.pk for r in rows]).update(attended=attended)
    return len(rows)


def _notify(registration: Registration, kind: str) -> None:
    # The row is unique per registration and kind; its e-mail is queued in this transaction and
    # sent by the outbox once it commits.
    Notification.objects.bulk_create([Notification(registration=registration, kind=kind)], ignore_conflicts=True)
    notifications.hand_over_pending(registration=registration)
