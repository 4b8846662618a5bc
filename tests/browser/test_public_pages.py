"""Screenshots of the public pages as visitors see them, in English and Russian, desktop and phone."""

from datetime import date

import pytest

from members import services
from members.models import Country
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def coalition(transactional_db):
    for iso2, since in [("KZ", date(2023, 10, 25)), ("GH", date(2022, 3, 1)), ("SN", date(2024, 5, 28)),
                        ("BR", date(2021, 12, 10)), ("TH", date(2020, 9, 23)), ("FR", date(2024, 1, 15)),
                        ("ID", date(2025, 4, 2)), ("EG", date(2023, 6, 30)), ("IN", date(2024, 9, 1))]:
        member(iso2, since=since)
    services.grant_seat(country=Country.objects.get(iso2="KZ"), start=date(2023, 10, 25))


@pytest.mark.parametrize("language", ["en", "ru"])
def test_public_pages_screenshots(coalition, live_server, browser, screenshot_dir, language):
    desktop = browser.new_page(viewport={"width": 1280, "height": 900})
    desktop.goto(f"{live_server.url}/{language}/members/")
    assert desktop.locator("svg.world-map").count() == 1
    assert desktop.locator("tbody tr").count() == 9
    desktop.screenshot(path=screenshot_dir / f"directory-{language}-desktop.png", full_page=True)
    desktop.locator("svg.world-map").screenshot(path=screenshot_dir / f"map-{language}.png")
    desktop.goto(f"{live_server.url}/{language}/countries/kaz/")
    desktop.screenshot(path=screenshot_dir / f"country-{language}.png", full_page=True)
    desktop.goto(f"{live_server.url}/{language}/indicators/")
    assert desktop.locator("svg.bar-chart").count() == 5
    desktop.screenshot(path=screenshot_dir / f"indicators-{language}.png", full_page=True)
    desktop.close()

    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.goto(f"{live_server.url}/{language}/members/?region=AFR")
    # Nothing wider than the screen: the table scrolls inside its own box.
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=screenshot_dir / f"directory-{language}-phone.png", full_page=True)
    phone.close()
