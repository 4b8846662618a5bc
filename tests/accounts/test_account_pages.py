"""Every sign-in, password and two-factor page a person can reach: the site's layout and language, no sign-up."""

import re
import time

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXP"
LANGUAGES = ["en", "fr", "ru", "ar"]


def totp_code(secret=SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def assert_site_page(response, lang):
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    page = response.content.decode()
    assert 'class="site-header"' in page and "/static/css/site.css" in page, "not in the site's layout"
    assert f'<html lang="{lang}"' in page
    assert "/accounts/signup/" not in page, "a sign-up link"
    assert not re.search(r"sign[ -]?up", page, re.IGNORECASE), "a sign-up word"
    # allauth's bare elements: fields as bare paragraphs (form.as_p), forms and panels without the site's classes.
    main = page.split('<main', 1)[1].split("</main>", 1)[0]
    assert not re.search(r"<p>\s*<label", main), "allauth's bare form fields"
    forms = [f for f in re.findall(r"<form\b[^>]*>", main) if 'id="logout-from-stage"' not in f]
    assert all('class="' in f for f in forms), forms
    assert "<section>" not in main
    return page


@pytest.fixture
def person(db):
    return UserFactory(language="en")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", ["password/reset/", "password/reset/done/", "login/"])
def test_signed_out_pages(client, lang, path):
    assert_site_page(client.get(f"/{lang}/accounts/{path}"), lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_password_reset_from_its_link(client, person, lang):
    key = default_token_generator.make_token(person)
    response = client.get(f"/{lang}/accounts/password/reset/key/{user_pk_to_url_str(person)}-{key}/", follow=True)
    page = assert_site_page(response, lang)
    assert 'name="password1"' in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_email_verification_pages(client, lang):
    person = UserFactory(verified=False)
    address = EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    key = EmailConfirmationHMAC(address).key
    assert_site_page(client.get(f"/{lang}/accounts/confirm-email/{key}/"), lang)
    assert_site_page(client.get(f"/{lang}/accounts/confirm-email/"), lang)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", ["password/change/", "logout/", "reauthenticate/", "2fa/"])
def test_signed_in_pages(client, person, lang, path):
    client.force_login(person)
    assert_site_page(client.get(f"/{lang}/accounts/{path}"), lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_enrolment_after_confirming_the_password(client, person, lang):
    client.force_login(person)
    response = client.get(f"/{lang}/accounts/2fa/totp/activate/", follow=True)
    # Enrolling asks for the password again first (allauth's reauthentication), on a page of the site.
    assert "/accounts/reauthenticate/" in response.redirect_chain[-1][0]
    assert_site_page(response, lang)
    response = client.post(response.redirect_chain[-1][0], {"password": TEST_PASSWORD}, follow=True)
    page = assert_site_page(response, lang)
    assert 'class="qr-code"' in page and 'name="code"' in page


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", ["2fa/", "2fa/recovery-codes/", "2fa/recovery-codes/generate/", "2fa/totp/deactivate/",
                                  "2fa/reauthenticate/"])
def test_pages_of_an_enrolled_person(client, person, lang, path):
    TOTP.activate(person, SECRET)
    RecoveryCodes.activate(person)
    client.force_login(person)
    assert_site_page(client.get(f"/{lang}/accounts/{path}", follow=True), lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_two_factor_prompt_after_the_password(client, person, lang):
    TOTP.activate(person, SECRET)
    response = client.post(f"/{lang}/accounts/login/", {"login": person.email, "password": TEST_PASSWORD}, follow=True)
    page = assert_site_page(response, lang)
    assert "/accounts/2fa/authenticate/" in response.redirect_chain[-1][0]
    assert 'name="code"' in page and 'class="entrance-form"' in page
    # A wrong code is refused with the site's error style, nothing typed lost but the code.
    response = client.post(f"/{lang}/accounts/2fa/authenticate/", {"code": "000000"})
    assert 'class="errorlist' in assert_site_page(response, lang)
    response = client.post(f"/{lang}/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302
