"""A focal point's day on kept pages, in a browser: what they change shows at once, their forms post.

Pages are read and drawn from reads and fragments kept until the data changes (coalition/reads.py,
coalition/fragments.py); this walks through them as a person would, signing in through the form.
"""

import pytest

from pledges import services
from tests.factories import TEST_PASSWORD, member
from tests.pledges.conftest import fill, make_focal_point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_focal_point_edits_on_kept_pages_and_sees_each_change_at_once(live_server, browser, screenshot_dir):
    kz = member("KZ").country
    fp = make_focal_point(kz, email="fp@kz.example.org")
    draft = fill(services.start_pledge(country=kz, by=fp), fp)
    for device, viewport in [("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1280, "height": 900})]:
        context = browser.new_context(viewport=viewport, is_mobile=device == "phone")
        page = context.new_page()
        page.goto(f"{live_server.url}/en/accounts/login/")
        page.fill("input[name=login]", fp.email)
        page.fill("input[name=password]", TEST_PASSWORD)
        page.locator("form button[type=submit]").first.click()
        for _ in range(2):  # drawn, then kept
            page.goto(f"{live_server.url}/en/dashboard/")
            assert "Focal point dashboard" in page.content()
        # A form on a kept page posts with this reader's own CSRF token.
        page.locator("form[action$='/contact/'] button").click()
        assert page.locator(".message").first.is_visible()
        assert page.url.endswith("/en/dashboard/")
        shown = "Your name and e-mail are shown" if device == "phone" else "Your contact is not shown"
        assert shown in page.content()
        page.goto(f"{live_server.url}/en/pledges/{draft.pk}/edit/")
        page.goto(f"{live_server.url}/en/pledges/{draft.pk}/edit/")  # the editor as stored, kept
        title = f"Primary care for every family ({device})"
        page.fill("input[name=title]", title)
        page.locator("button[name=action][value=save]").click()
        assert page.locator("input[name=title]").input_value() == title
        page.goto(f"{live_server.url}/en/dashboard/")
        assert title in page.content()
        page.goto(f"{live_server.url}/en/pledges/{draft.pk}/")
        assert title in page.content()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=screenshot_dir / f"kept-pledge-{device}.png", full_page=True)
        page.goto(f"{live_server.url}/en/dashboard/")
        page.screenshot(path=screenshot_dir / f"kept-dashboard-{device}.png", full_page=True)
        context.close()
