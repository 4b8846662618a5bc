"""/healthz/deep and `manage.py health`: each part of the platform checked, thresholds, who may ask."""

import time
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from coalition import health, mail
from coalition.models import OutgoingMail
from tests.factories import StaffFactory, UserFactory

URL = "/healthz/deep"
TOKEN = "monitoring-token-" + "t" * 24


@pytest.fixture(autouse=True)
def _beat_key(settings):
    settings.HEALTH_TOKEN = TOKEN
    settings.HEALTH_WORKER_PING_SECONDS = 0.5
    redis = health._redis()  # the real one, even where a test points REDIS_URL elsewhere
    redis.delete(health.BEAT_KEY)
    yield
    redis.delete(health.BEAT_KEY)


def _beat_sent(seconds_ago=0):
    health._redis().set(health.BEAT_KEY, str(time.time() - seconds_ago))


def _queue(n, **fields):
    return mail.queue_rendered(kind="test/plain", key=f"health:{n}", to=[f"p{n}@example.org"], language="en",
                               subject="S", body="B\n", **fields)


def test_the_url_is_the_deep_check():
    assert reverse("healthz-deep") == URL


@pytest.fixture
def empty_queues():
    from coalition.celery import app

    app.control.purge()  # messages other tests left are not this worker's to run


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_all_well_is_200_with_every_check_named(client, empty_queues, celery_worker, settings):
    settings.HEALTH_WORKER_PING_SECONDS = 2
    _beat_sent(seconds_ago=30)
    client.force_login(StaffFactory())
    response = client.get(URL)
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "workers", "beat", "outbox"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert body["checks"]["workers"]["workers"]  # the in-test worker answered, by name
    assert 29 <= body["checks"]["beat"]["last_send_seconds_ago"] < 120
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_no_worker_and_no_beat_is_503_saying_which(client):
    response = client.get(URL, {"token": TOKEN})
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["database"]["status"] == body["checks"]["redis"]["status"] == "ok"
    assert body["checks"]["workers"] == {"status": "error", "error": "no worker answered the ping", "workers": [],
                                         "seconds": body["checks"]["workers"]["seconds"]}
    assert body["checks"]["beat"]["error"] == "beat has sent no task yet"


@pytest.mark.django_db
def test_beat_silent_for_longer_than_the_threshold_is_an_error(settings):
    settings.HEALTH_BEAT_MAX_AGE_SECONDS = 300
    _beat_sent(seconds_ago=299)
    assert health.run(["beat"])["status"] == "ok"
    _beat_sent(seconds_ago=301)
    result = health.run(["beat"])
    assert result["status"] == "error" and result["checks"]["beat"]["error"] == "beat has sent nothing for too long"


@pytest.mark.django_db
def test_outbox_backlog_and_the_most_overdue_email_against_their_thresholds(settings):
    settings.HEALTH_OUTBOX_MAX_QUEUED = 2
    settings.HEALTH_OUTBOX_MAX_DUE_SECONDS = 600
    _queue(1)
    _queue(2)
    check = health.run(["outbox"])["checks"]["outbox"]
    assert (check["status"], check["queued"], check["due"]) == ("ok", 2, 2)
    # Waiting for its retry time is not late; due for eleven minutes is.
    OutgoingMail.objects.filter(key="health:1").update(next_attempt_at=timezone.now() + timedelta(hours=1))
    OutgoingMail.objects.filter(key="health:2").update(next_attempt_at=timezone.now() - timedelta(minutes=11))
    check = health.run(["outbox"])["checks"]["outbox"]
    assert (check["status"], check["queued"], check["due"]) == ("error", 2, 1)
    assert check["error"] == "an e-mail has been due for too long" and 650 < check["oldest_due_seconds"] < 700
    OutgoingMail.objects.filter(key="health:2").update(next_attempt_at=timezone.now())
    _queue(3)
    check = health.run(["outbox"])["checks"]["outbox"]
    assert check["status"] == "error" and check["error"] == "too many e-mails queued"
    # Sent rows are no backlog.
    mail.deliver_due()
    OutgoingMail.objects.filter(key="health:1").update(next_attempt_at=timezone.now())
    mail.deliver_due()
    assert health.run(["outbox"])["checks"]["outbox"]["queued"] == 0


@pytest.mark.django_db
def test_redis_down_is_503_not_500_and_the_broker_checks_are_skipped(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(URL, HTTP_X_HEALTH_TOKEN=TOKEN)
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["redis"]["status"] == "error" and body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["workers"]["error"] == body["checks"]["beat"]["error"] == "skipped: Redis does not answer"


@pytest.mark.django_db
def test_a_check_that_raises_is_its_own_error_never_a_500(client, monkeypatch):
    def broken():
        raise RuntimeError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get(URL, {"token": TOKEN})
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["error"] == "RuntimeError"


@pytest.mark.django_db
def test_only_staff_or_the_token_may_ask(client, settings):
    assert client.get(URL)["Location"].startswith("/en/accounts/login/")
    assert client.get(URL, {"token": "wrong"})["Location"].startswith("/en/accounts/login/")
    assert client.get(URL, HTTP_X_HEALTH_TOKEN="wrong").status_code == 302
    assert client.get(URL, {"token": TOKEN}).status_code == 503  # answered (nothing runs beat here)
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"token": TOKEN}).status_code == 503
    # No token configured: no token opens it, not even an empty one.
    settings.HEALTH_TOKEN = ""
    client.logout()
    assert client.get(URL, {"token": ""}).status_code == 302
    client.force_login(UserFactory(is_staff=True))
    assert client.get(URL).status_code == 503


@pytest.mark.django_db
def test_the_cheap_healthz_asks_no_worker_and_no_beat(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200 and set(response.json()) == {"database", "broker"}


@pytest.mark.django_db
def test_the_command_exits_non_zero_when_a_check_fails(capsys):
    call_command("health", "database", "outbox")
    assert '"status": "ok"' in capsys.readouterr().out
    with pytest.raises(CommandError, match="unhealthy: beat"):
        call_command("health", "beat")
    _beat_sent()
    call_command("health", "beat")


@pytest.mark.django_db
def test_beat_notes_each_task_it_sends(settings):
    from celery.signals import before_task_publish

    from coalition import celery as coalition_celery

    coalition_celery._record_beat_sends()  # what beat_init does in beat's process
    try:
        coalition_celery.app.send_task("coalition.tasks.count_countries")
    finally:
        before_task_publish.disconnect(dispatch_uid="health_record_beat")
        coalition_celery.app.control.purge()
    assert health.run(["beat"])["checks"]["beat"]["last_send_seconds_ago"] < 5
    # Elsewhere (the site, the workers) sending a task is no sign of beat.
    health._redis().delete(health.BEAT_KEY)
    coalition_celery.app.send_task("coalition.tasks.count_countries")
    coalition_celery.app.control.purge()
    assert health._redis().get(health.BEAT_KEY) is None
