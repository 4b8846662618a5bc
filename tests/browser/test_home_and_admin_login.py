import pytest

from tests.factories import TEST_PASSWORD, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_page_and_admin_login(live_server, page, screenshot_dir):
    staff = StaffFactory(email="staff@example.org")

    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Primary Health Care Coalition of Countries"
    page.screenshot(path=screenshot_dir / "foundation-home.png", full_page=True)

    page.goto(live_server.url + "/en/admin/")
    assert "/en/accounts/login/" in page.url
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.screenshot(path=screenshot_dir / "foundation-login.png", full_page=True)
    page.click("button[type=submit]")
    page.wait_for_url("**/en/admin/")
    assert "Secretariat" in page.content()
    page.screenshot(path=screenshot_dir / "foundation-admin.png", full_page=True)


def test_language_switcher_without_javascript(live_server, browser, screenshot_dir):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/en/")
    page.click(".language-switcher a[lang=ru]")
    assert page.url.endswith("/ru/")
    assert page.locator("html").get_attribute("lang") == "ru"
    context.close()
