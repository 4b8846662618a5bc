"""Reads of events that pages, feeds, the admin and other apps share.

Who sees what: public events are seen by everyone; other events by the Secretariat and people who
speak for a member country today; Core Group annual meetings only by the Secretariat and the focal
points of Core Group countries (``accounts.access`` says who is who).
"""

from __future__ import annotations

import bisect

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts import access
from coalition import reads
from events.models import Event, Kind, Registration, delegation_q
from members import selectors as member_selectors


def _core_group_meetings_q(countries) -> Q:
    """Core Group meetings that delegates of ``countries`` may see."""
    pks = {c.pk for c in countries}
    if not pks:
        return Q(pk__in=[])
    if pks & {c.pk for c in member_selectors.core_group_on(timezone.localdate())}:
        return Q(kind=Kind.CORE_GROUP)
    # A country that has left the Core Group still sees the meetings it held a seat for.
    # There is one meeting a year, so asking about each is cheap.
    allowed = [
        event.pk
        for event in Event.objects.filter(kind=Kind.CORE_GROUP).only("pk", "starts_at", "timezone")
        if pks & {c.pk for c in member_selectors.core_group_on(event.local_starts_at.date())}
    ]
    return Q(pk__in=allowed)


def _visible_to_countries_q(countries) -> Q:
    q = Q(public=True)
    if countries:
        q |= Q(public=False) & ~Q(kind=Kind.CORE_GROUP)
        q |= _core_group_meetings_q(countries)
    return q


def visible_events(user) -> QuerySet[Event]:
    events = Event.objects.all()
    if access.is_secretariat(user):
        return events
    return events.filter(_visible_to_countries_q(access.countries_of(user)))


def audience(user, *, today) -> tuple:
    """Who asks, as far as which events they see: people with the same answer see the same events."""
    if access.is_secretariat(user):
        return ("secretariat",)
    # Core Group meetings follow the seats of the day.
    return ("countries", tuple(sorted(c.pk for c in access.countries_of(user))), today)


@reads.kept
def _ends() -> list:
    return list(Event.objects.order_by("ends_at").values_list("ends_at", flat=True))


def moment(now) -> int:
    """How many events have ended by ``now``: while it stays the same, so does the split of every list
    into upcoming and past events."""
    return bisect.bisect_right(_ends(), now)


def can_view(user, event: Event) -> bool:
    return visible_events(user).filter(pk=event.pk).exists()


def may_attend(country, event: Event) -> bool:
    """Whether delegates of ``country`` may be registered for ``event``."""
    if event.kind != Kind.CORE_GROUP:
        return True
    return country is not None and Event.objects.filter(_core_group_meetings_q([country]), pk=event.pk).exists()


def upcoming(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.filter(ends_at__gt=timezone.now()).order_by("starts_at", "pk")


def past(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.filter(ends_at__lte=timezone.now()).order_by("-starts_at", "-pk")


def upcoming_events_for(*, country, user) -> list[Event]:
    """Upcoming events a focal point may register ``country``'s delegates for, soonest first.

    Each event carries ``country_confirmed`` and ``country_waitlisted``: the country's delegates so far.
    """
    # What the country's delegates may attend is all the focal point may see of it: a user who
    # speaks for the country sees at least that, so the user's own (costlier) view is not asked.
    if not access.is_secretariat(user) and not access.speaks_for(user, country):
        return []
    active = Q(registrations__country=country, registrations__delegate_confirmed_at__isnull=False)
    events = (
        upcoming(Event.objects.filter(_visible_to_countries_q([country])))
        .annotate(
            country_confirmed=Count("registrations", filter=active & Q(registrations__status="confirmed")),
            country_waitlisted=Count("registrations", filter=active & Q(registrations__status="waitlisted")),
        )
    )
    return list(events)


def participation_of(country, *, user=None) -> list[dict]:
    """Past events ``country`` took part in, newest first, for its page.

    Each item: ``event``, ``registered`` (confirmed delegates) and ``attended`` (delegates marked
    present; ``None`` while attendance has not been recorded). Without ``user`` only public events
    are listed, since the country page is public.
    """
    mine = Q(registrations__country=country) & delegation_q("registrations__")
    events = (
        past(visible_events(user))
        .annotate(
            registered=Count("registrations", filter=mine),
            attended_count=Count("registrations", filter=mine & Q(registrations__attended=True)),
            recorded=Count("registrations", filter=mine & Q(registrations__attended__isnull=False)),
        )
        .filter(registered__gt=0)
    )
    return [
        {"event": e, "registered": e.registered, "attended": e.attended_count if e.recorded else None}
        for e in events
    ]


def registration_for(user, event: Event) -> Registration | None:
    """The signed-in person's own active registration for ``event``."""
    if user is None or not user.is_authenticated:
        return None
    return (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .filter(email__iexact=user.email)
        .first()
    )


def country_registrations(event: Event, countries) -> list[Registration]:
    """Active registrations naming ``countries``: confirmed delegates, and people awaiting confirmation."""
    if not countries:
        return []
    return list(
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .filter(country__in=countries)
        .select_related("country")
        .order_by("delegate_confirmed_at", "status", "created_at", "pk")
    )


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED,
    ).filter(Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk))
    return ahead.count() + 1


def attendees(events) -> QuerySet[Registration]:
    """Active registrations of ``events`` (confirmed first, then the waiting list in order)."""
    return (
        Registration.objects.filter(event__in=events)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event", "country", "registered_by")
        .order_by("event__starts_at", "event_id", "status", "created_at", "pk")
    )


def registrations_to_confirm(*, start, end) -> QuerySet[Event]:
    """Events starting from ``start`` until before ``end`` (moments), with what waits for a decision:
    ``waitlisted`` people, and ``delegates_to_confirm`` (registered for a country, not yet confirmed)."""
    waiting = Q(registrations__status=Registration.Status.WAITLISTED)
    unconfirmed = (Q(registrations__country__isnull=False, registrations__delegate_confirmed_at__isnull=True)
                   & ~Q(registrations__status=Registration.Status.CANCELLED))
    return (
        Event.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .annotate(waitlisted=Count("registrations", filter=waiting),
                  delegates_to_confirm=Count("registrations", filter=unconfirmed))
        .order_by("starts_at", "pk")
    )
