"""The Secretariat's admin in Arabic: right to left, with an event's texts in every language on one page."""

import pytest

from tests.factories import TEST_PASSWORD, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_admin_reads_right_to_left_in_arabic(live_server, page, screenshot_dir):
    staff = StaffFactory(email="officer@example.org", language="ar")
    page.goto(live_server.url + "/ar/admin/events/event/add/")
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/events/event/add/")
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    for code in ["en", "fr", "ru", "es", "ar", "zh_hans"]:
        assert page.locator(f"input[name=title_{code}]").count() == 1
    # The form's labels sit on the right of their fields, as Arabic reads.
    label = page.locator("label[for=id_title_ar]").bounding_box()
    field = page.locator("#id_title_ar").bounding_box()
    assert label["x"] > field["x"]
    page.screenshot(path=screenshot_dir / "ar-admin-event-form.png", full_page=True)
