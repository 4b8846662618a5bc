"""Who may do what: the one access policy of the platform.

Every view, selector, service, admin, task and template asks here; nothing else decides who is
Secretariat, which countries a person speaks for, or who must use two-factor authentication.

- **Secretariat**: an active staff account in the Secretariat group, or a superuser. Staff outside
  the group are admin users with whatever model permissions they were given, nothing more.
- **Speaks for a country today**: an active focal point (not revoked, account active, e-mail
  verified) of a country whose membership is in force today. A former member's focal points
  keep their account but speak for nobody.
- **Two-factor**: when ``STAFF_REQUIRE_2FA`` is on, every staff account must enrol an authenticator
  before any page but the sign-in and enrolment pages (``accounts.middleware``).

Refusals: a signed-out visitor is asked to sign in (``SignInRequired``, turned into a redirect by
``accounts.middleware.AccessMiddleware``); a signed-in person without the right gets 404, so a URL
never reveals whether something exists.
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from accounts.roles import SECRETARIAT_GROUP
from coalition import reads


class SignInRequired(Exception):
    """Raised for a signed-out visitor where an account is needed; answered with the sign-in page."""


# --- Roles ----------------------------------------------------------------------------------------


def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_staff_account(user) -> bool:
    """Any staff account: these may enter the admin and must use two-factor when it is required."""
    return is_signed_in(user) and user.is_staff


def is_secretariat(user) -> bool:
    """Secretariat staff: active staff in the Secretariat group, or superusers."""
    if not is_staff_account(user):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_access_is_secretariat", None)
    if cached is None:
        cached = user.groups.filter(name=SECRETARIAT_GROUP).exists()
        user._access_is_secretariat = cached
    return cached


def is_superuser(user) -> bool:
    return is_signed_in(user) and user.is_superuser


def has_authenticator(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_two_factor(user) -> bool:
    """A staff account that must enrol an authenticator before it may see any staff page."""
    return bool(settings.STAFF_REQUIRE_2FA) and is_staff_account(user) and not has_authenticator(user)


# --- Countries a person speaks for -------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _active_focal_points(user):
    from pledges.models import FocalPoint

    return FocalPoint.objects.active().filter(user=user)


def countries_of(user, *, on: date | None = None) -> list:
    """Countries ``user`` speaks for on ``on`` (today by default): active focal point of a member country."""
    if not is_signed_in(user):
        return []
    return _countries_of(user_id=user.pk, day=on or _today())


@reads.kept(by_language=True)
def _countries_of(*, user_id: int, day: date) -> list:
    # Asked by every page a focal point opens, often twice (its decorator, then the view): kept until
    # the data changes — focal points, memberships, accounts and their e-mail addresses all move the
    # data version — or the day turns.
    from members.models import Country, Membership
    from members.names import sorted_by_name
    from pledges.models import FocalPoint

    members = Membership.objects.in_force(on=day).values("country_id")
    country_ids = FocalPoint.objects.active().filter(user_id=user_id, country__in=members).values("country_id")
    return sorted_by_name(Country.objects.filter(pk__in=country_ids))


def country_ids_of(user, *, on: date | None = None) -> set[int]:
    return {c.pk for c in countries_of(user, on=on)}


def speaks_for(user, country, *, on: date | None = None) -> bool:
    """Whether ``user`` speaks for ``country`` on ``on`` (today by default)."""
    if country is None or not is_signed_in(user):
        return False
    return country.pk in {c.pk for c in countries_of(user, on=on)}


def focal_point_role(user, country):
    """``user``'s active focal-point row for ``country`` while it is a member today, or None."""
    if not speaks_for(user, country):
        return None
    return _active_focal_points(user).filter(country=country).first()


def focal_point_roles(user, countries) -> dict:
    """``{country_id: focal-point row}`` for ``countries`` (ones ``user`` speaks for), in one query."""
    ids = [c.pk for c in countries]
    return {fp.country_id: fp for fp in _active_focal_points(user).filter(country_id__in=ids)}


def is_focal_point(user) -> bool:
    """Speaks for at least one country today."""
    return bool(countries_of(user))


# --- What a person may do ----------------------------------------------------------------------------


def may_edit_for(user, country) -> bool:
    """Write the pledge, progress reports and delegations of ``country``."""
    return speaks_for(user, country)


def may_register_delegates_of(user, country) -> bool:
    """Register or confirm delegates of ``country``: its focal points, or the Secretariat."""
    return is_secretariat(user) or speaks_for(user, country)


def may_use_admin(user) -> bool:
    return is_staff_account(user)


def may_hold_calendar_feed(user) -> bool:
    """A private calendar feed of deadlines and closed meetings: Secretariat staff who may see the admin now."""
    return is_secretariat(user) and not needs_two_factor(user)


def is_privileged_account(account) -> bool:
    """A staff or superuser account, active or not: what only superusers may alter."""
    return bool(account is not None and (account.is_staff or account.is_superuser))


def may_change_privileges(user) -> bool:
    """Staff status, superuser status, groups, permissions and staff passwords: superusers only."""
    return is_superuser(user)


# --- Refusals and page decorators ----------------------------------------------------------------------


def deny(request):
    """Refuse the request: sign in first if signed out, else 'not found'."""
    if not is_signed_in(request.user):
        raise SignInRequired
    raise Http404


def public_page(view):
    """Anyone may open the page; what it shows may still depend on who asks."""
    view.access = "public"
    return view


def focal_point_required(view):
    """Pages of people who speak for a country today (the view still checks which country)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # Kept on the request so that the view need not ask again.
        request.speaks_for = countries_of(request.user)
        if not request.speaks_for:
            deny(request)
        return view(request, *args, **kwargs)

    wrapper.access = "focal_point"
    return wrapper


def signed_in_required(view):
    """Pages that need an account; the view decides what the account may see (404 otherwise)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_signed_in(request.user):
            raise SignInRequired
        return view(request, *args, **kwargs)

    wrapper.access = "signed_in"
    return wrapper


def secretariat_required(view):
    """Pages and files of the Secretariat. Two-factor enrolment is enforced before any of them."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_secretariat(request.user):
            deny(request)
        if needs_two_factor(request.user):
            from accounts.middleware import enrol_redirect

            return enrol_redirect(request)
        return view(request, *args, **kwargs)

    wrapper.access = "secretariat"
    return wrapper
