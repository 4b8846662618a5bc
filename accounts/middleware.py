"""The access policy at the edge of every request: sign-in redirects and two-factor enrolment."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import access, stash

# Views a staff account may use before it has enrolled an authenticator: signing in and out,
# enrolment itself (allauth), the language switcher and the health check.
_BEFORE_ENROLMENT_MODULES = ("allauth.",)
_BEFORE_ENROLMENT_URL_NAMES = {"healthz", "set_language"}


def enrol_redirect(request):
    messages.warning(
        request,
        _("Set up two-factor authentication with an authenticator app before using the Secretariat's pages."),
    )
    return redirect(reverse("mfa_activate_totp"))


class StaffTwoFactorMiddleware:
    """Staff accounts enrol an authenticator before any other page (when ``STAFF_REQUIRE_2FA`` is on).

    Every page is covered, not only the admin: letters, exports, reports and closed meetings are
    served outside it, and a page that is public for others is no reason to let an unprotected
    staff session linger.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not access.needs_two_factor(getattr(request, "user", None)):
            return None
        module = getattr(view_func, "__module__", "") or ""
        match = request.resolver_match
        if module.startswith(_BEFORE_ENROLMENT_MODULES) or (match and match.url_name in _BEFORE_ENROLMENT_URL_NAMES):
            return None
        return enrol_redirect(request)


class AccessMiddleware:
    """Turns ``access.SignInRequired`` into the sign-in page, keeping a POSTed form for afterwards.

    It also keeps staff sessions short: a staff session opens the Secretariat's records, so it
    ends after a working day without activity, where a focal point's lasts two weeks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and access.is_staff_account(getattr(request, "user", None)):
            if session.get("_session_expiry") != settings.STAFF_SESSION_SECONDS:
                session.set_expiry(settings.STAFF_SESSION_SECONDS)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, access.SignInRequired):
            return None
        if request.method == "POST":
            stash.keep(request)
            messages.info(request, _("Your session had ended. Sign in again: what you typed is kept, not yet saved."))
        return redirect_to_login(request.get_full_path())


class SlidingSessionMiddleware(SessionMiddleware):
    """Sessions end after a stretch without activity, renewed at most every few minutes.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) writes and commits a row for
    each page a signed-in person opens, which costs more than drawing the page. The session is saved
    when it changes, and otherwise once ``SESSION_RENEW_SECONDS`` have passed since it was last
    saved: it then ends between that long and nothing before its full age after the last activity.
    """

    KEY = "_renewed_at"

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if session.modified or now - session.get(self.KEY, 0) >= settings.SESSION_RENEW_SECONDS:
                session[self.KEY] = now
        return super().process_response(request, response)


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, for sessions that name a sign-in backend the site no longer lists (accounts.backends)."""

    def process_request(self, request):
        from accounts.backends import REPLACED

        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            backend = request.session.get(BACKEND_SESSION_KEY)
            if backend in REPLACED:
                request.session[BACKEND_SESSION_KEY] = REPLACED[backend]
        super().process_request(request)
