"""Capacity under simultaneous registrations, against PostgreSQL with one connection per thread."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from events import services
from events.models import Event, Notification, Registration
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PEOPLE = 16
CAPACITY = 5


def _in_parallel(func, count):
    barrier = threading.Barrier(count)

    def run(n):
        try:
            barrier.wait(timeout=30)
            return func(n)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _assert_capacity_held(event):
    event.refresh_from_db()
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count("confirmed") == CAPACITY == event.confirmed_count
    assert statuses.count("waitlisted") == PEOPLE - CAPACITY


def test_simultaneous_registrations_never_exceed_capacity():
    event = make_event(capacity=CAPACITY)

    results = _in_parallel(
        lambda n: services.register(event=event, name=f"Person {n}", email=f"p{n}@example.org").status, PEOPLE,
    )

    assert results.count("confirmed") == CAPACITY
    _assert_capacity_held(event)
    # Every e-mail went out once, though several delivery runs overlapped.
    assert len(mail.outbox) == PEOPLE
    assert len({m.to[0] for m in mail.outbox}) == PEOPLE
    assert not Notification.objects.filter(status="pending").exists()


def test_simultaneous_requests_to_the_public_form_never_exceed_capacity():
    event = make_event(capacity=CAPACITY)

    def post(n):
        response = Client().post(f"/en/events/{event.pk}/", {
            "reg-name": f"Person {n}", "reg-email": f"p{n}@example.org", "reg-organisation": "", "reg-country": "",
        })
        return response.status_code

    assert _in_parallel(post, PEOPLE) == [302] * PEOPLE
    _assert_capacity_held(event)


def test_simultaneous_cancellations_promote_the_waiting_list_in_order():
    event = make_event(capacity=CAPACITY)
    registrations = [
        services.register(event=event, name=f"Person {n}", email=f"p{n}@example.org") for n in range(PEOPLE)
    ]
    confirmed, waiting = registrations[:CAPACITY], registrations[CAPACITY:]

    _in_parallel(lambda n: services.cancel(registration=confirmed[n]), CAPACITY)

    event.refresh_from_db()
    assert event.confirmed_count == CAPACITY
    promoted = set(Registration.objects.filter(event=event, status="confirmed").values_list("pk", flat=True))
    assert promoted == {r.pk for r in waiting[:CAPACITY]}
    assert Notification.objects.filter(kind="promoted", status="sent").count() == CAPACITY
    assert Event.objects.get(pk=event.pk).confirmed_count == CAPACITY
