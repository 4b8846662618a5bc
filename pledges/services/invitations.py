"""Focal points: invited by the secretariat with a single-use link, added, shown publicly or revoked."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit, mail
from coalition.audit import audited
from members.models import Country, Membership
from pledges import emails
from pledges.models import FocalPoint, Invitation
from pledges.services.common import fmt, now, require_secretariat, today


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_member(country: Country) -> None:
    if Membership.objects.of(country, on=today()) is None:
        raise ValidationError(
            _("%(country)s is not a member of the Coalition; only member countries have focal points.")
            % {"country": country},
            code="not_member",
        )


def check_can_invite(*, country: Country, email: str) -> None:
    """The refusals of ``invite_focal_point``, for forms that want to show them next to the fields."""
    _require_member(country)
    email = email.strip()
    if FocalPoint.objects.filter(country=country, user__email__iexact=email, revoked_at__isnull=True).exists():
        raise ValidationError(
            _("%(email)s is already a focal point of %(country)s.") % {"email": email, "country": country},
            code="already_focal_point",
        )
    pending = Invitation.objects.filter(
        country=country, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True,
        expires_at__gt=now(),
    ).first()
    if pending is not None:
        raise ValidationError(
            _("%(email)s already has an invitation for %(country)s, valid until %(date)s. Revoke it to send a new one.")
            % {"email": email, "country": country, "date": fmt(timezone.localtime(pending.expires_at).date())},
            code="already_invited",
        )


@transaction.atomic
@audited("focal_point.invited")
def invite_focal_point(*, country: Country, email: str, name: str = "", language: str = "en", by=None) -> Invitation:
    """Send a single-use link, valid for seven days, that makes the invitee a focal point of ``country``.

    The returned invitation carries the raw token as ``.token``; only its hash is stored.
    """
    require_secretariat(by)
    Country.objects.select_for_update().filter(pk=country.pk).first()
    email = email.strip()
    check_can_invite(country=country, email=email)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    token = secrets.token_urlsafe(32)
    sent_at = now()
    invitation = Invitation(
        country=country, email=email, name=name.strip(), language=language, token_hash=_hash(token),
        created_at=sent_at, created_by=by, expires_at=sent_at + timedelta(days=Invitation.VALID_DAYS),
    )
    invitation.full_clean(exclude=["token_hash"])
    invitation.save()
    invitation.token = token
    # Sensitive: the link makes whoever holds it a focal point, so the outbox hides it from staff.
    emails.queue(
        "invitation", groups={language: [email]}, key=mail.key("pledges.invitation", invitation.pk),
        about=invitation, country=country, sensitive=True,
        context={"invitation": invitation, "country": country, "expires_on": invitation.expires_at},
        url=("pledges:invitation", {"token": token}),
    )
    return invitation


@transaction.atomic
@audited("focal_point.invitation_revoked", about="invitation")
def revoke_invitation(*, invitation: Invitation, by=None) -> Invitation:
    require_secretariat(by)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("This invitation was already accepted; revoke the focal point instead."), code="already_accepted"
        )
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was already revoked."), code="already_revoked")
    invitation.revoked_at = now()
    invitation.revoked_by = by
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


def find_invitation(token: str) -> Invitation | None:
    if not token:
        return None
    return Invitation.objects.select_related("country").filter(token_hash=_hash(token)).first()


def check_usable(invitation: Invitation) -> None:
    state = invitation.state(now())
    if state == "accepted":
        raise ValidationError(_("This invitation was already used. Sign in with your e-mail and password."), code="used")
    if state == "revoked":
        raise ValidationError(_("This invitation was withdrawn by the secretariat."), code="revoked")
    if state == "expired":
        raise ValidationError(
            _("This invitation expired. Ask the secretariat (%(email)s) for a new one.")
            % {"email": settings.SECRETARIAT_EMAIL},
            code="expired",
        )


@transaction.atomic
def accept_invitation(*, token: str, password: str = "", full_name: str = "", user=None) -> FocalPoint:
    """Use an invitation: the account (created here with ``password`` if there is none) becomes a focal point.

    The link reached the invitee at the invited address, so that address counts as verified.
    A person who already has an account must be signed in as it (``user``) to accept.
    """
    invitation = find_invitation(token)
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."), code="unknown")
    invitation = Invitation.objects.select_for_update().select_related("country").get(pk=invitation.pk)
    check_usable(invitation)
    User = get_user_model()
    account = User.objects.filter(email__iexact=invitation.email).first()
    if account is not None:
        if user is None or user.pk != account.pk:
            raise ValidationError(
                _("There is already an account for %(email)s. Sign in with it, then open the invitation link again.")
                % {"email": invitation.email},
                code="sign_in_first",
            )
    else:
        candidate = User(email=invitation.email, full_name=full_name or invitation.name)
        validate_password(password, user=candidate)
        account = User.objects.create_user(
            email=invitation.email, password=password, full_name=(full_name or invitation.name).strip(),
            language=invitation.language,
        )
    address = EmailAddress.objects.filter(user=account, email__iexact=account.email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=account, primary=True).exists()
        EmailAddress.objects.create(user=account, email=account.email, verified=True, primary=not has_primary)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    focal_point = add_focal_point(country=invitation.country, user=account, by=invitation.created_by)
    invitation.accepted_at = now()
    invitation.focal_point = focal_point
    # The invitee acts here, signed in or not yet: the log and the history name them.
    with audit.acting(user=account):
        invitation.save(update_fields=["accepted_at", "focal_point"])
        audit.record("focal_point.invitation_accepted", invitation, by=account,
                     changes={"accepted_at": [None, str(invitation.accepted_at)]})
    return focal_point


@transaction.atomic
@audited("focal_point.added")
def add_focal_point(*, country: Country, user, by=None) -> FocalPoint:
    """Make ``user``, whose e-mail address is verified, a focal point of the member country ``country``."""
    Country.objects.select_for_update().filter(pk=country.pk).first()
    _require_member(country)
    if not user.is_active:
        raise ValidationError(_("The account of %(email)s is disabled.") % {"email": user.email}, code="inactive")
    if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
        raise ValidationError(
            _("%(email)s has not verified the e-mail address; a focal point must have a verified address.")
            % {"email": user.email},
            code="unverified",
        )
    if FocalPoint.objects.filter(country=country, user=user, revoked_at__isnull=True).exists():
        raise ValidationError(
            _("%(email)s is already a focal point of %(country)s.") % {"email": user.email, "country": country},
            code="already_focal_point",
        )
    focal_point = FocalPoint(country=country, user=user, created_by=by)
    focal_point.save()
    return focal_point


@transaction.atomic
@audited("focal_point.public_contact_set", about="focal_point")
def set_public_contact(*, focal_point: FocalPoint, public: bool, by) -> FocalPoint:
    """Only the person themself decides whether their contact appears on the public country page."""
    focal_point = FocalPoint.objects.select_for_update().get(pk=focal_point.pk)
    if by is None or by.pk != focal_point.user_id:
        raise ValidationError(_("Only the focal point can choose to show their own contact."), code="not_self")
    focal_point.public_contact = public
    focal_point.save(update_fields=["public_contact"])
    return focal_point


@transaction.atomic
@audited("focal_point.revoked", about="focal_point")
def revoke_focal_point(*, focal_point: FocalPoint, by=None) -> FocalPoint:
    require_secretariat(by)
    focal_point = FocalPoint.objects.select_for_update().get(pk=focal_point.pk)
    if focal_point.revoked_at is not None:
        raise ValidationError(_("This focal point was already revoked."), code="already_revoked")
    focal_point.revoked_at = now()
    focal_point.revoked_by = by
    focal_point.save(update_fields=["revoked_at", "revoked_by"])
    return focal_point
