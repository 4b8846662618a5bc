"""Two-factor enrolment and the code prompt in French and Russian, on a phone (390 px) and a desktop.

Screenshots go to test-output/ (account-<step>-<lang>-<width>.png).
"""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.factories import TEST_PASSWORD, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDER_THAN_THE_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth"


def _sign_in(page, base, lang, email):
    page.goto(f"{base}/{lang}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["fr", "ru"])
def test_enrol_an_authenticator_then_meet_the_code_prompt(live_server, browser, screenshot_dir, lang, width):
    staff = StaffFactory(email=f"officer-{lang}-{width}@example.org", language=lang)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)

    def shot(step):
        page.screenshot(path=screenshot_dir / f"account-{step}-{lang}-{width}.png", full_page=True)

    _sign_in(page, live_server.url, lang, staff.email)
    page.goto(f"{live_server.url}/{lang}/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("main button[type=submit]")
    page.wait_for_selector("img.qr-code")
    assert page.locator("html").get_attribute("lang") == lang
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    assert page.locator("a[href*='signup']").count() == 0
    qr = page.locator("img.qr-code").bounding_box()
    assert 150 <= qr["width"] <= width
    shot("1-enrol")

    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/2fa/**")
    assert "/totp/activate/" not in page.url
    shot("2-enrolled")

    # Signed out and in again: the password, then the code.
    page.click("header form button[type=submit]")
    _sign_in(page, live_server.url, lang, staff.email)
    page.wait_for_url("**/2fa/authenticate/")
    assert page.locator("input[name=code]").is_visible()
    # Cancel (back to signing in) reads as a link: not white on white.
    cancel = page.locator("main button.link-button")
    assert cancel.is_visible() and cancel.evaluate("e => getComputedStyle(e).color") != "rgb(255, 255, 255)"
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    shot("3-code-prompt")
    page.fill("input[name=code]", "000000")
    page.click("main form.entrance-form button[type=submit]")
    page.wait_for_selector(".errorlist")
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    shot("4-wrong-code")
    context.close()
