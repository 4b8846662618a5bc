"""Production logs, one JSON object a line with the request id, and Sentry events without personal data."""

import io
import json
import logging

import pytest
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from accounts.access import public_page
from coalition import observability
from tests.factories import UserFactory


@public_page
@csrf_exempt  # the body must reach the view (and the error) for the test to show it is not sent
def _boom(request, secret):
    raise RuntimeError(f"could not write to {request.user.email}")


@public_page
def _logs(request):
    logging.getLogger("coalition.test").warning("hello from the view")
    return HttpResponse("ok")


urlpatterns = [path("boom/<str:secret>/", _boom), path("logs/", _logs)]


@pytest.fixture
def console(settings):
    """The root logger's console handler as the settings' LOGGING makes it, writing into a buffer.

    LOGGING is applied afresh: tests before this one (in-thread Celery workers) may have rearranged the
    root logger's handlers.
    """
    import logging.config

    logging.config.dictConfig(settings.LOGGING)
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(handler.formatter, observability.JsonFormatter)
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    yield buffer
    handler.setStream(old)


def _lines(buffer):
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


@pytest.mark.urls(__name__)
def test_a_request_logs_json_lines_with_its_id_echoed_in_the_response(client, console):
    response = client.get("/logs/", HTTP_X_REQUEST_ID="req-4711")
    assert response["X-Request-ID"] == "req-4711"
    entry = next(e for e in _lines(console) if e["logger"] == "coalition.test")
    assert entry["message"] == "hello from the view" and entry["level"] == "WARNING"
    assert entry["request_id"] == "req-4711" and entry["time"].endswith("+00:00")


@pytest.mark.urls(__name__)
def test_without_a_usable_request_id_one_is_made(client, console):
    response = client.get("/logs/", HTTP_X_REQUEST_ID="not an id\n{injected}")
    made = response["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()
    assert [e["request_id"] for e in _lines(console) if e["logger"] == "coalition.test"] == [made]
    assert client.get("/logs/")["X-Request-ID"] != made
    # Outside a request, no id.
    logging.getLogger("coalition.test").warning("no request")
    assert _lines(console)[-1]["request_id"] is None


def test_an_exception_is_in_its_line_as_text(console):
    try:
        raise ValueError("bad value")
    except ValueError:
        logging.getLogger("coalition.test").exception("it failed")
    entry = _lines(console)[-1]
    assert entry["message"] == "it failed" and "ValueError: bad value" in entry["exc_info"]


def test_production_settings_log_json_and_workers_do_not_replace_it(settings):
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False


@pytest.fixture
def sentry():
    """Sentry on, with a transport that keeps the envelopes in memory instead of sending them."""
    import sentry_sdk
    from sentry_sdk.transport import Transport

    class Capture(Transport):
        def __init__(self, options=None):
            super().__init__(options)
            self.envelopes = []

        def capture_envelope(self, envelope):
            self.envelopes.append(envelope)

    transport = Capture()
    observability.init_sentry(dsn="https://public@sentry.example.org/1", environment="test", release="test-1",
                              transport=transport)
    yield transport
    sentry_sdk.flush()
    sentry_sdk.init()  # no DSN: off again for the other tests


def _through_wsgi(path, *, cookies, data, headers):
    """A request through Django's WSGI handler, as gunicorn makes it (Sentry hooks in there, not in the test
    client), on the test's database connection."""
    from django.core import signals
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import close_old_connections
    from werkzeug.test import EnvironBuilder

    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    environ = EnvironBuilder(path=path, base_url="http://testserver", method="POST", data=data,
                             headers={**headers, "Cookie": cookie}).get_environ()
    status = []
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(WSGIHandler()(environ, lambda s, h, exc_info=None: status.append(s)))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return status[0], body


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_an_error_goes_to_sentry_without_personal_data(client, sentry):
    import sentry_sdk

    user = UserFactory(email="ama.mensah@health.gh", full_name="Ama Mensah")
    client.force_login(user)
    secret = "k" * 32
    status, _ = _through_wsgi(
        f"/boom/{secret}/?token=query-secret-456",
        cookies={**{name: morsel.value for name, morsel in client.cookies.items()}, "tracking": "cookie-value-123"},
        data={"email": "body@example.org", "note": "x"},
        headers={"X-Request-ID": "req-sentry-1", "Referer": "https://phc.example.org/?u=ama.mensah@health.gh",
                 "User-Agent": "Mozilla/5.0 (Ama's phone)", "Accept-Language": "fr"},
    )
    assert status.startswith("500")
    sentry_sdk.flush()
    events = [item.payload.json for envelope in sentry.envelopes for item in envelope.items if item.type == "event"]
    assert len(events) == 1
    event = events[0]
    text = json.dumps(event)
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == "could not write to [email]"
    assert event["tags"]["request_id"] == "req-sentry-1"
    assert event["environment"] == "test" and event["release"] == "test-1"
    for personal in ["ama.mensah@health.gh", "health.gh", "Ama Mensah", "body@example.org", "cookie-value-123",
                     "sessionid", "csrftoken", "query-secret-456", secret, "Referer", "Ama's phone"]:
        assert personal not in text, personal
    assert event.get("user", {}) in ({}, {"id": str(user.pk)}, {"id": user.pk})
    assert "data" not in event["request"] and "cookies" not in event["request"]
    assert event["request"]["url"] == "http://testserver/boom/[token]/"
    assert event["request"]["headers"] == {"Accept-Language": "fr", "Host": "testserver",
                                           "X-Request-Id": "req-sentry-1"} | {
        k: v for k, v in event["request"]["headers"].items() if k in ("Content-Type", "Content-Length")}


def test_scrubbing_keeps_what_helps_and_drops_what_identifies():
    event = observability.scrub_event({
        "request": {"url": "https://x/en/calendar/abcdefghijklmnopqrstuvwxyz012345/?t=1", "query_string": "t=1",
                    "headers": {"User-Agent": "UA", "Cookie": "a=b", "Accept-Language": "fr", "Authorization": "x"},
                    "data": {"email": "a@b.org"}, "cookies": {"sessionid": "s"}},
        "user": {"id": 7, "email": "a@b.org", "ip_address": "10.0.0.1", "username": "a"},
        "breadcrumbs": {"values": [{"message": "sent to person@example.org"}]},
        "logentry": {"message": "Could not deliver to %s", "params": ["x.y@z.example"]},
    })
    assert event["request"] == {"url": "https://x/en/calendar/[token]/", "headers": {"Accept-Language": "fr"}}
    assert event["user"] == {"id": 7}
    assert event["breadcrumbs"]["values"][0]["message"] == "sent to [email]"
    assert event["logentry"]["params"] == ["[email]"]
