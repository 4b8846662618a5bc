"""Compressed HTML only where BREACH has nothing to find: signed-out pages without a CSRF token or cookie."""

import gzip

import pytest

from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, br"}


def test_public_pages_are_compressed_for_signed_out_visitors(client):
    member("KZ")
    response = client.get("/en/members/", **GZIP)
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "Kazakhstan" in html and len(response.content) < len(html) / 3


def test_without_accept_encoding_the_page_is_plain(client):
    response = client.get("/en/members/")
    assert not response.has_header("Content-Encoding") and b"<html" in response.content


def test_signed_in_pages_are_never_compressed(client):
    client.force_login(UserFactory())
    response = client.get("/en/members/", **GZIP)
    assert response.status_code == 200 and not response.has_header("Content-Encoding")


def test_a_page_with_a_csrf_token_is_never_compressed(client):
    response = client.get("/en/accounts/login/", **GZIP)
    assert response.status_code == 200 and 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert not response.has_header("Content-Encoding")
