from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coalition import mail as outbox
from coalition.models import OutgoingMail
from events import notifications, services
from events.models import Event, Kind, Notification, Registration, Theme
from tests.events.conftest import make_event
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def flush_mail():
    """Send the e-mails earlier steps queued, then forget them."""
    outbox.deliver_due()
    mail.outbox.clear()


def register(event, n, **kwargs):
    return services.register(event=event, name=f"Person {n}", email=f"p{n}@example.org", **kwargs)


def test_create_event_reads_naive_times_in_the_event_zone():
    event = services.create_event(
        title="Side event", kind=Kind.GLOBAL, starts_at=datetime(2030, 5, 20, 12, 30),
        ends_at=datetime(2030, 5, 20, 14, 0), timezone="Europe/Zurich", venue="Palais des Nations",
    )
    assert event.starts_at == datetime(2030, 5, 20, 10, 30, tzinfo=ZoneInfo("UTC"))  # CEST, UTC+2
    assert event.local_starts_at.hour == 12


def test_core_group_meetings_are_never_public():
    event = make_event(kind=Kind.CORE_GROUP, public=True)
    assert event.public is False
    Event.objects.filter(pk=event.pk).update(public=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(public=True)


@pytest.mark.parametrize("fields, field", [
    ({"kind": Kind.WORKSHOP}, "theme"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"ends_at": timezone.now() + timedelta(days=29)}, "ends_at"),
    ({"online_url": ""}, "venue"),
])
def test_create_event_refuses_incomplete_events(fields, field):
    with pytest.raises(ValidationError) as error:
        make_event(**fields)
    assert field in error.value.message_dict
    assert not Event.objects.exists()


def test_registration_is_confirmed_then_waitlisted_beyond_capacity(django_capture_on_commit_callbacks):
    event = make_event(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [register(event, n).status for n in range(4)]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    event.refresh_from_db()
    assert event.confirmed_count == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == sorted(["Registration confirmed: Workshop on governance"] * 2
                              + ["On the waiting list: Workshop on governance"] * 2)
    confirmed = next(m for m in mail.outbox if m.to == ["p0@example.org"])
    assert confirmed.attachments[0][0] == "invitation.ics"
    waiting = next(m for m in mail.outbox if m.to == ["p3@example.org"])
    assert "position 2" in waiting.body
    assert not waiting.attachments
    assert "secret-room" not in waiting.body and "secret-room" in confirmed.body


def test_the_database_refuses_overbooking():
    event = make_event(capacity=1)
    register(event, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(confirmed_count=2)


def test_cancelling_moves_the_first_waiting_person_up_and_emails_them(django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    first = register(event, 1)
    second = register(event, 2)
    third = register(event, 3)
    flush_mail()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("confirmed", "waitlisted")
    assert Event.objects.get(pk=event.pk).confirmed_count == 1
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"p1@example.org", "p2@example.org"}
    assert by_recipient["p2@example.org"].subject == "A place is now yours: Workshop on governance"
    assert by_recipient["p2@example.org"].attachments[0][0] == "invitation.ics"
    assert by_recipient["p1@example.org"].subject == "Registration cancelled: Workshop on governance"
    assert b"METHOD:CANCEL" in by_recipient["p1@example.org"].attachments[0][1].encode()


def test_cancelling_a_waiting_person_promotes_nobody():
    event = make_event(capacity=1)
    register(event, 1)
    waiting = register(event, 2)
    third = register(event, 3)
    services.cancel(registration=waiting)
    third.refresh_from_db()
    assert third.status == "waitlisted"
    assert Event.objects.get(pk=event.pk).confirmed_count == 1


def test_cancelling_twice_or_after_the_start_is_refused():
    event = make_event(capacity=5)
    registration = register(event, 1)
    services.cancel(registration=registration)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.cancel(registration=registration)
    other = register(event, 2)
    with time_machine.travel(event.starts_at + timedelta(minutes=5)):
        with pytest.raises(ValidationError, match="has started"):
            services.cancel(registration=other)


def test_an_email_cannot_hold_two_places_but_can_register_again_after_cancelling():
    event = make_event()
    first = services.register(event=event, name="A", email="Same@Example.org")
    with pytest.raises(ValidationError, match="already registered"):
        services.register(event=event, name="A again", email="same@example.org")
    services.cancel(registration=first)
    again = services.register(event=event, name="A", email="same@example.org")
    assert again.status == "confirmed"


def test_registration_window():
    opens = timezone.now() + timedelta(days=2)
    event = make_event(registration_opens_at=opens, registration_closes_at=opens + timedelta(days=5))
    with pytest.raises(ValidationError, match="Registration opens on"):
        register(event, 1)
    with time_machine.travel(opens + timedelta(days=6)):
        with pytest.raises(ValidationError, match="closed"):
            register(event, 2)
        # The secretariat may still add a latecomer.
        assert register(event, 3, by=StaffFactory()).status == "confirmed"
    with time_machine.travel(event.ends_at + timedelta(minutes=1)):
        with pytest.raises(ValidationError, match="already taken place"):
            register(event, 4, by=StaffFactory())


def test_the_public_cannot_register_for_a_closed_event():
    event = make_event(public=False)
    with pytest.raises(ValidationError, match="not open to public registration"):
        register(event, 1)


def test_focal_points_register_delegates_of_their_own_country_only(focal_points, kz, fr):
    event = make_event(public=False)
    focal = UserFactory()
    focal_points[focal] = [kz]
    delegate = register(event, 1, by=focal)  # the only country is taken by default
    assert delegate.country == kz and delegate.registered_by == focal
    with pytest.raises(ValidationError, match="Choose one of your countries: Kazakhstan"):
        register(event, 2, by=focal, country=fr)


def test_core_group_meeting_registration_needs_a_seat(focal_points, core_group, kz, fr):
    event = make_event(kind=Kind.CORE_GROUP)
    member = UserFactory()
    focal_points[member] = [fr]
    with pytest.raises(ValidationError, match="does not exist or is not open to you"):
        register(event, 1, by=member)
    core_group.append(fr)
    assert register(event, 1, by=member).country == fr


def test_a_larger_capacity_moves_people_up_and_a_smaller_one_is_refused(django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    register(event, 1)
    waiting = register(event, 2)
    event.capacity = 0
    with pytest.raises(ValidationError, match="already confirmed"):
        services.save_event(event=event)
    flush_mail()
    event = Event.objects.get(pk=event.pk)
    event.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        services.save_event(event=event)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert [m.to for m in mail.outbox] == [["p2@example.org"]]


def test_time_changes_raise_the_calendar_sequence():
    event = make_event()
    event = Event.objects.get(pk=event.pk)
    event.capacity = 10
    services.save_event(event=event)
    assert event.sequence == 0
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    services.save_event(event=event)
    assert Event.objects.get(pk=event.pk).sequence == 1


def test_attendance_is_recorded_after_the_start_for_confirmed_people_only():
    event = make_event(capacity=1)
    came = register(event, 1)
    waiting = register(event, 2)
    with pytest.raises(ValidationError, match="has not started"):
        services.mark_attendance(registrations=[came], attended=True)
    with time_machine.travel(event.starts_at + timedelta(hours=1)):
        with pytest.raises(ValidationError, match="confirmed registrations only"):
            services.mark_attendance(registrations=[came, waiting], attended=True)
        assert Registration.objects.get(pk=came.pk).attended is None  # nothing changed
        assert services.mark_attendance(registrations=[came], attended=True) == 1
    assert Registration.objects.get(pk=came.pk).attended is True


def test_each_email_goes_out_once():
    event = make_event()
    register(event, 1)
    mail.outbox.clear()
    assert Notification.objects.get().status == "sent"  # handed to the outbox with the registration
    assert notifications.hand_over_pending() == 0
    assert outbox.deliver_due() == 1
    assert outbox.deliver_due() == 0
    assert len(mail.outbox) == 1
    assert OutgoingMail.objects.get().about == Registration.objects.get()


def test_emails_are_sent_only_after_commit(django_capture_on_commit_callbacks):
    event = make_event()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        register(event, 1)
    # One hand-off to the outbox; the others move the data version (coalition.versioning) after commit.
    from coalition import versioning

    handoffs = [c for c in callbacks if c is not versioning._increment]
    assert mail.outbox == [] and len(handoffs) == 1 and len(callbacks) <= 3


def test_workshop_theme_choices():
    event = make_event(kind=Kind.WORKSHOP, theme=Theme.ENGAGEMENT)
    assert event.get_theme_display() == "Engagement"


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_emails_go_through_a_real_worker(celery_worker, mailoutbox):
    """The confirmation is queued after commit and sent by a Celery worker on the real broker."""
    import time

    from tests.events.conftest import make_event

    event = make_event(capacity=5)
    services.register(event=event, name="Ana Lopez", email="ana@example.org")
    deadline = time.monotonic() + 20
    while not mailoutbox and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]


def test_confirming_a_delegate_is_refused_when_it_makes_no_sense(focal_points, kz, fr):
    event = make_event()
    focal = UserFactory()
    focal_points[focal] = [kz]
    named = register(event, 1, country=kz)
    nameless = register(event, 2)
    services.confirm_delegate(registration=named, by=focal)
    with pytest.raises(ValidationError, match="already a confirmed delegate"):
        services.confirm_delegate(registration=named, by=focal)
    with pytest.raises(ValidationError, match="Only the country's focal points"):
        services.confirm_delegate(registration=nameless, by=focal)
    other = register(event, 3, country=fr)
    with pytest.raises(ValidationError, match="Only the country's focal points"):
        services.confirm_delegate(registration=other, by=focal)
    cancelled = services.cancel(registration=register(event, 4, country=kz))
    with pytest.raises(ValidationError, match="cancelled"):
        services.confirm_delegate(registration=cancelled, by=focal)
