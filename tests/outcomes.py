"""What a response amounts to for the person who asked: a page, a refusal, or the sign-in page."""

from django.conf import settings
from django.shortcuts import resolve_url


def outcome(response):
    """``"login"`` for a redirect to sign in, ``"enrol"`` for one to two-factor enrolment, else the status code."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(resolve_url(settings.LOGIN_URL)) or "/accounts/login/" in location:
            return "login"
        if "/accounts/2fa/" in location:
            return "enrol"
    return response.status_code
