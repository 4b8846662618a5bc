"""The Core Group meeting recap in a browser, at 390 px and on a desktop, in English and French (screenshots)."""

import pytest
from django.conf import settings

from tests.reports.test_recap import EXPECTED, build_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
FIGURES = """() => Object.fromEntries([...document.querySelectorAll('.recap-figures li')]
    .map(li => [li.id.replace('figure-', ''), parseInt(li.querySelector('.big-number').textContent, 10)]))"""


@pytest.mark.parametrize("language", ["en", "fr"])
def test_recap_page_at_phone_and_desktop_width(transactional_db, time_machine, live_server, browser, client,
                                                screenshot_dir, language):
    record = build_record(time_machine)
    client.force_login(record.staff)
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
              "url": live_server.url}
    url = f"{live_server.url}/{language}/reports/recap/?meeting={record.meeting.pk}"
    for device, viewport in [("phone", PHONE), ("desktop", DESKTOP)]:
        context = browser.new_context(viewport=viewport, is_mobile=device == "phone")
        context.add_cookies([cookie])
        page = context.new_page()
        assert page.goto(url).status == 200
        assert page.evaluate(FIGURES) == EXPECTED
        # Nothing wider than the screen: wide tables scroll in their own box.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=screenshot_dir / f"recap-{language}-{device}.png", full_page=True)
        context.close()
