"""The Secretariat's Today page in a browser: the work queue in English, French and Russian, desktop and phone."""

from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
import time_machine

from tests.factories import TEST_PASSWORD, StaffFactory
from tests.secretariat.test_today import a_day_of_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def december():
    with time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=dt_timezone.utc), tick=True):
        yield


def test_the_today_page_shows_the_work_queue(december, live_server, browser, screenshot_dir):
    a_day_of_work()
    staff = StaffFactory(email="officer@example.org", language="fr")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/fr/admin/")
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#today-letters")
    assert page.locator("#today-letters a", has_text="Ghana").count() == 1
    assert page.locator("#today-deadlines", has_text="Sénégal").count() == 1
    assert page.locator(".today-box.urgent").count() == 2  # the failed e-mail and the failed report, first
    page.screenshot(path=screenshot_dir / "today-fr-desktop.png", full_page=True)

    page.goto(live_server.url + "/ru/admin/")
    page.wait_for_selector("#today-letters")
    assert page.locator("#today-terms", has_text="Узбекистан").count() == 1
    page.screenshot(path=screenshot_dir / "today-ru-desktop.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/ru/admin/")
    page.wait_for_selector("#today-letters")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=screenshot_dir / "today-ru-phone.png", full_page=True)

    # From a box to the work: the pending letter opens its page.
    page.click("#today-letters a:has-text('Гана')")
    page.wait_for_url("**/letterofinterest/*/change/")
    context.close()
