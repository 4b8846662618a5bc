"""Sessions end after a stretch without activity, renewed by activity at most every few minutes."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def expiry(client):
    return Session.objects.get(pk=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def test_a_signed_in_page_renews_the_session_at_most_every_few_minutes(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(UserFactory())
    client.get("/en/")
    first = expiry(client)
    time_machine.shift(timedelta(seconds=settings.SESSION_RENEW_SECONDS - 1))
    client.get("/en/")
    assert expiry(client) == first  # no write for this page
    time_machine.shift(timedelta(seconds=2))
    client.get("/en/")
    assert expiry(client) - first == timedelta(seconds=settings.SESSION_RENEW_SECONDS + 1)


def test_a_session_without_activity_for_its_age_ends(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(UserFactory())
    client.get("/en/")
    time_machine.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))
    assert client.get("/en/dashboard/").status_code == 404  # still signed in: not a focal point
    time_machine.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    assert client.get("/en/dashboard/").status_code == 302  # asked to sign in


def test_an_anonymous_visit_writes_no_session(client):
    client.get("/en/")
    client.get("/en/members/")
    assert Session.objects.count() == 0


def test_a_session_begun_with_djangos_own_backend_stays_signed_in(client):
    from django.contrib.auth import BACKEND_SESSION_KEY

    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/en/dashboard/").status_code == 404  # signed in, not a focal point: not asked to sign in
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.KeptModelBackend"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_deactivated_account_is_signed_out_at_its_next_page_though_its_user_was_kept(client):
    user = UserFactory()
    client.force_login(user)
    for _ in range(2):  # read, then kept
        assert client.get("/en/dashboard/").status_code == 404
    user.is_active = False
    user.save()
    assert client.get("/en/dashboard/").status_code == 302
