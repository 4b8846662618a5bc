from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError

from accounts import access
from accounts.models import User
from members import services as member_services
from members.models import Membership
from members.selectors import reminder_recipients
from pledges import services
from pledges.models import FocalPoint, Invitation
from tests.factories import TEST_PASSWORD, UserFactory
from tests.pledges.conftest import make_focal_point

pytestmark = pytest.mark.django_db


def invite(country, by, email="new.person@example.org", language="fr", name="Nadia Person"):
    return services.invite_focal_point(country=country, email=email, name=name, language=language, by=by)


def test_invitation_mails_a_single_use_link_in_the_invitees_language(kz, secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(kz, secretariat)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert f"/fr/invitations/{invitation.token}/" in message.body
    # Only a hash is stored: the database alone does not let anyone use the link.
    assert invitation.token not in Invitation.objects.get(pk=invitation.pk).token_hash
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)


def test_accepting_creates_a_verified_account_and_a_focal_point(kz, secretariat):
    invitation = invite(kz, secretariat)
    fp = services.accept_invitation(token=invitation.token, password=TEST_PASSWORD, full_name="Nadia P.")
    user = User.objects.get(email="new.person@example.org")
    assert fp.user == user and fp.country == kz
    assert user.check_password(TEST_PASSWORD) and user.language == "fr" and user.full_name == "Nadia P."
    assert EmailAddress.objects.get(user=user).verified
    assert access.countries_of(user) == [kz]
    invitation.refresh_from_db()
    assert invitation.accepted_at and invitation.focal_point == fp


def test_an_invitation_is_used_once(kz, secretariat):
    invitation = invite(kz, secretariat)
    services.accept_invitation(token=invitation.token, password=TEST_PASSWORD)
    with pytest.raises(ValidationError, match="already used"):
        services.accept_invitation(token=invitation.token, password=TEST_PASSWORD)
    assert FocalPoint.objects.count() == 1


def test_an_expired_invitation_is_refused(kz, secretariat, time_machine):
    invitation = invite(kz, secretariat)
    time_machine.move_to(invitation.expires_at + timedelta(seconds=1))
    with pytest.raises(ValidationError, match="expired"):
        services.accept_invitation(token=invitation.token, password=TEST_PASSWORD)
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_a_revoked_invitation_is_refused(kz, secretariat):
    invitation = invite(kz, secretariat)
    services.revoke_invitation(invitation=invitation, by=secretariat)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.accept_invitation(token=invitation.token, password=TEST_PASSWORD)
    with pytest.raises(ValidationError, match="already revoked"):
        services.revoke_invitation(invitation=invitation, by=secretariat)


def test_an_unknown_token_is_refused(kz):
    with pytest.raises(ValidationError, match="not valid"):
        services.accept_invitation(token="nonsense", password=TEST_PASSWORD)


def test_a_weak_password_is_refused_and_nothing_is_created(kz, secretariat):
    invitation = invite(kz, secretariat)
    with pytest.raises(ValidationError):
        services.accept_invitation(token=invitation.token, password="12345")
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_an_existing_account_must_be_signed_in_to_accept(kz, secretariat):
    person = UserFactory(email="known@example.org", verified=False)
    invitation = invite(kz, secretariat, email="Known@Example.org")
    with pytest.raises(ValidationError, match="Sign in"):
        services.accept_invitation(token=invitation.token, password=TEST_PASSWORD)
    fp = services.accept_invitation(token=invitation.token, user=person)
    assert fp.user == person
    assert EmailAddress.objects.get(user=person).verified


def test_only_staff_invite(kz, user):
    with pytest.raises(ValidationError, match="secretariat staff"):
        invite(kz, user)


def test_no_invitation_for_a_country_that_is_not_a_member(secretariat):
    from members.models import Country

    with pytest.raises(ValidationError, match="not a member"):
        invite(Country.objects.get(iso2="DE"), secretariat)


def test_no_second_pending_invitation_nor_invitation_of_a_focal_point(kz, kz_fp, secretariat):
    invite(kz, secretariat)
    with pytest.raises(ValidationError, match="already has an invitation"):
        invite(kz, secretariat, email="NEW.person@example.org")
    with pytest.raises(ValidationError, match="already a focal point"):
        invite(kz, secretariat, email=kz_fp.email)


def test_add_focal_point_requires_a_verified_address(kz):
    person = UserFactory(verified=False)
    with pytest.raises(ValidationError, match="not verified"):
        services.add_focal_point(country=kz, user=person)
    assert not FocalPoint.objects.exists()


def test_add_focal_point_refuses_duplicates_and_non_members(kz, kz_fp):
    from members.models import Country

    with pytest.raises(ValidationError, match="already a focal point"):
        services.add_focal_point(country=kz, user=kz_fp)
    with pytest.raises(ValidationError, match="not a member"):
        services.add_focal_point(country=Country.objects.get(iso2="DE"), user=kz_fp)


def test_a_country_may_have_several_focal_points_and_they_get_membership_reminders(kz, kz_fp):
    second = make_focal_point(kz, email="second@kz.example.org")
    membership = Membership.objects.get(country=kz)
    recipients = dict(reminder_recipients(membership))
    assert recipients[kz_fp.email] == "ru"
    assert second.email in recipients
    assert "contact@kz.example.org" in recipients


def test_revoked_focal_points_lose_their_country(kz, kz_fp, secretariat):
    fp = FocalPoint.objects.get(user=kz_fp)
    services.revoke_focal_point(focal_point=fp, by=secretariat)
    assert access.countries_of(kz_fp) == []
    assert FocalPoint.objects.reminder_recipients(kz) == []
    assert not access.speaks_for(kz_fp, kz, on=kz.memberships.get().started_on + timedelta(days=30))
    with pytest.raises(ValidationError, match="secretariat staff"):
        services.revoke_focal_point(focal_point=fp, by=kz_fp)
    # Revoked, the person may be made a focal point again.
    services.add_focal_point(country=kz, user=kz_fp)


def test_a_focal_point_whose_address_becomes_unverified_is_inactive(kz, kz_fp):
    EmailAddress.objects.filter(user=kz_fp).update(verified=False)
    assert access.countries_of(kz_fp) == []


def test_membership_ended_removes_edit_rights_but_not_the_focal_point(kz, kz_fp):
    from django.utils import timezone

    membership = Membership.objects.get(country=kz)
    member_services.give_notice(membership=membership, received_on=timezone.localdate())
    today = timezone.localdate()
    assert access.speaks_for(kz_fp, kz, on=today)
    assert not access.speaks_for(kz_fp, kz, on=membership.expires_on + timedelta(days=1))
    assert access.countries_of(kz_fp, on=membership.expires_on + timedelta(days=1)) == []
    # The focal point stays (for a renewed accession), speaking for the country again once it is a member.
    assert FocalPoint.objects.active().filter(user=kz_fp, country=kz).exists()
