import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.core import mail

from accounts.models import User
from accounts.roles import SECRETARIAT_GROUP
from coalition.models import OutgoingMail
from tests.factories import TEST_PASSWORD, UserFactory

LOGIN = "/en/accounts/login/"


@pytest.mark.django_db
def test_signup_is_closed_to_the_public(client):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "new@example.org", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )
    assert not User.objects.filter(email="new@example.org").exists()
    assert "Sign Up Closed" in response.content.decode()


@pytest.mark.django_db
def test_login_by_email(client, user):
    response = client.post(LOGIN, {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/en/").context["user"] == user


@pytest.mark.django_db
def test_unverified_email_cannot_sign_in_and_gets_a_verification_mail(client, django_capture_on_commit_callbacks):
    person = UserFactory(verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LOGIN, {"login": person.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert not client.get("/en/").context["user"].is_authenticated
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(client, user):
    for _ in range(5):
        client.post(LOGIN, {"login": user.email, "password": "wrong-password"})
    response = client.post(LOGIN, {"login": user.email, "password": TEST_PASSWORD})
    assert not response.wsgi_request.user.is_authenticated
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_sends_a_link_through_the_outbox_and_the_link_works(client, user,
                                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "/accounts/password/reset/key/" in body
    row = OutgoingMail.objects.get()
    assert (row.kind, row.status, row.sensitive, row.to) == ("accounts/password_reset_key", "sent", True, [user.email])
    assert row.body == ""  # the link is not kept once sent
    link = re.search(r"https?://[^/\s]+(/\S+/password/reset/key/\S+)", body).group(1)
    form = client.get(link, follow=True)
    new_password = "a-brand-new-passphrase-42"
    done = client.post(form.redirect_chain[-1][0] if form.redirect_chain else link,
                       {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


@pytest.mark.django_db
def test_admin_sends_anonymous_visitors_to_the_allauth_login(client):
    response = client.get("/en/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN + "?next=")
    assert "<h1>Sign in</h1>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("lang, heading", [("en", "Sign in"), ("fr", "Se connecter"), ("ar", None)])
def test_the_sign_in_page_has_the_sites_layout_and_no_sign_up(client, lang, heading):
    page = client.get(f"/{lang}/accounts/login/").content.decode()
    assert 'class="site-header"' in page and f'lang="{lang}"' in page
    assert "/accounts/signup/" not in page and "sign up" not in page.lower()
    assert 'name="login"' in page and 'name="password"' in page
    if heading:
        assert f"<h1>{heading}</h1>" in page


@pytest.mark.django_db
def test_admin_refuses_people_who_are_not_staff(client, user):
    client.force_login(user)
    assert client.get("/en/admin/", follow=True).status_code == 403


@pytest.mark.django_db
def test_staff_reach_admin_when_two_factor_is_not_required(client, staff, settings):
    settings.STAFF_REQUIRE_2FA = False
    client.force_login(staff)
    assert client.get("/en/admin/").status_code == 200


@pytest.mark.django_db
def test_staff_without_authenticator_must_enrol_before_admin(client, staff, settings):
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(staff)
    response = client.get("/en/admin/")
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate/" in response["Location"]


@pytest.mark.django_db
def test_staff_with_totp_reach_admin(client, staff, settings):
    settings.STAFF_REQUIRE_2FA = True
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    assert client.get("/en/admin/").status_code == 200


@pytest.mark.django_db
def test_two_factor_enrolment_is_available_to_everyone(client, user):
    client.force_login(user)
    response = client.get("/en/accounts/2fa/")
    assert response.status_code == 200
    assert "authenticator" in response.content.decode().lower()


@pytest.mark.django_db
def test_secretariat_group_can_manage_the_coalition_apps():
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("members", "change_country") in codenames
    assert ("accounts", "add_user") in codenames
    assert ("accounts", "delete_user") not in codenames
    assert not Permission.objects.filter(group=group, content_type__app_label="auth").exists()


@pytest.mark.django_db
def test_emails_are_unique_whatever_their_case():
    from django.db import IntegrityError, transaction

    UserFactory(email="Focal@Example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="focal@example.org", password="x")


@pytest.mark.django_db
def test_people_land_in_their_own_language_after_signing_in(client):
    person = UserFactory(language="ru")
    response = client.post(LOGIN, {"login": person.email, "password": TEST_PASSWORD})
    assert response["Location"] == "/ru/"
    # Nothing leaks into the next request's language.
    assert client.get("/en/").content.decode().startswith("<!DOCTYPE html>\n\n<html lang=\"en\"")
