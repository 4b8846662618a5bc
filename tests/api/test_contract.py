"""The API's contract, tested with schemathesis against the schema it serves.

Every endpoint gets generated requests (valid and invalid parameters); no answer may be a 5xx, and
every answer must conform to the schema: status code, content type, headers and body. Data of every
kind is in the database, so that the bodies checked are not empty lists.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# The address the rate limit counts by, as a WSGI server sets it.
CLIENT = {"REMOTE_ADDR": "127.0.0.1"}

# Loaded from the running application, as a client would (the schema's view reads no table), at
# schemathesis' host.
with override_settings(ALLOWED_HOSTS=["localhost"]):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), environ_base=CLIENT)


@pytest.fixture
def contract_world(world, settings):
    """The world, served by Django's WSGI handler inside the test's transaction: the handler must not
    close the connection after each request, as Django's own test client sees to."""
    from django.core import signals
    from django.db import close_old_connections

    settings.ALLOWED_HOSTS = ["localhost"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield world
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_endpoint_keeps_its_contract(case, contract_world):
    # Uncompressed: the WSGI test client would not inflate the public pages' gzip.
    case.call_and_validate(environ_base=CLIENT, headers={"Accept-Encoding": "identity"})


def test_the_contract_covers_every_endpoint():
    paths = set(schema.raw_schema["paths"])
    assert paths == {
        "/api/v1/", "/api/v1/countries/", "/api/v1/countries/{iso3}/", "/api/v1/memberships/", "/api/v1/core-group/",
        "/api/v1/champions/", "/api/v1/pledges/", "/api/v1/commitments/", "/api/v1/events/", "/api/v1/announcements/",
        "/api/v1/library/", "/api/v1/indicators/",
    }
