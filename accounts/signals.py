"""Reactions to sign-in that the access policy asks for."""

from django.conf import settings

from accounts import access


def shorten_staff_sessions(sender, request, user, **kwargs):
    # Staff sessions open the Secretariat's records: they end after a working day of inactivity.
    if access.is_staff_account(user):
        request.session.set_expiry(settings.STAFF_SESSION_SECONDS)
