"""Logs and errors in production: one JSON object a line with the request's id; errors to Sentry without
personal data.

A request's id comes from the proxy's ``X-Request-ID`` (or is made here), is in every log line written
while the request is served, goes back in the response's ``X-Request-ID`` and tags its Sentry event, so
one id finds a request in the proxy's log, the site's log and Sentry.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
import warnings
from datetime import UTC, datetime

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# Ids from outside are kept only if they look like ids: nothing else is written into every log line.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        rid = given if _SAFE_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id.set(rid)
        try:
            _tag_sentry_event(rid)
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id, exc_info."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get() or None,
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


# --- Sentry ------------------------------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Path segments such as calendar-feed tokens, password-reset keys and unsubscribe links are secrets.
_TOKEN_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_:=-]{20,}(?=/|$)")
# The only request headers an event keeps: none names or identifies a person.
SAFE_HEADERS = {"accept", "accept-language", "content-type", "content-length", "host", "x-request-id"}


def _tag_sentry_event(rid: str) -> None:
    import sentry_sdk

    if sentry_sdk.get_client().is_active():
        sentry_sdk.set_tag("request_id", rid)


def _without_emails(value):
    if isinstance(value, str):
        return EMAIL.sub("[email]", value)
    if isinstance(value, dict):
        return {key: _without_emails(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_emails(item) for item in value]
    return value


def scrub_event(event: dict, hint=None) -> dict:
    """before_send: no request body, cookies, query string or identifying header; the user by id only;
    no e-mail address anywhere in the event (messages, exception values, breadcrumbs)."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers") or {}
        request["headers"] = {name: value for name, value in headers.items() if name.lower() in SAFE_HEADERS}
        if isinstance(request.get("url"), str):
            request["url"] = _TOKEN_SEGMENT.sub("[token]", request["url"].split("?", 1)[0])
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return _without_emails(event)


def init_sentry(*, dsn: str, environment: str, release: str | None = None, traces_sample_rate: float = 0.0,
                transport=None) -> None:
    import sentry_sdk

    options = {"transport": transport} if transport is not None else {}
    with warnings.catch_warnings():
        # Newer 2.x releases prefer data_collection; send_default_pii=False is what every 2.x understands.
        warnings.filterwarnings("ignore", message="The send_default_pii option is deprecated")
        _init(sentry_sdk, dsn=dsn, environment=environment, release=release,
              traces_sample_rate=traces_sample_rate, options=options)


def _init(sentry_sdk, *, dsn, environment, release, traces_sample_rate, options):
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        # No personal data: no user e-mail or IP, no cookies or bodies (scrub_event removes what is left),
        # and no local variables of the frames, which hold users, letters and addresses.
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        **options,
    )
