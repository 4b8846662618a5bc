"""WCAG 2.1 AA on the public pages (issue 7): axe-core in Chromium, and keyboard access.

To check another page, add one line to PAGES: an id and a function from the objects made by
the ``site`` fixture to the page's path. For example:

    ("directory", lambda site: "/en/members/"),
    ("indicators", lambda site: "/en/indicators/"),
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.a11y.axe import assert_no_violations, focused_description, tab_until
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def known(reason):
    """A page with known violations, listed in ``reason``: fix the template, then drop the mark."""
    return pytest.mark.xfail(strict=True, reason=reason)


PAGES = [
    ("home-en", lambda site: "/en/"),
    ("home-ru", lambda site: "/ru/"),
    ("events", lambda site: "/en/events/"),
    ("event", lambda site: f"/en/events/{site['event'].pk}/"),
    ("champions", lambda site: "/en/champions/"),
    ("pledges", lambda site: "/en/pledges/"),
    ("country-kaz", lambda site: "/en/countries/kaz/"),
    ("directory", lambda site: "/en/members/"),
    ("directory-ru-filtered", lambda site: "/ru/members/?region=EUR&sort=accession"),
    ("indicators", lambda site: "/en/indicators/"),
    ("indicators-ru", lambda site: "/ru/indicators/"),
]


@pytest.fixture
def site(transactional_db):
    """What the public pages show: a member country and an upcoming public webinar.

    Made before the browser starts (fixture order), on the test's own database connection.
    """
    from events import services

    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(days=14)
    event = services.create_event(
        title="Webinar: primary health care financing", kind="webinar",
        starts_at=starts, ends_at=starts + timedelta(hours=1), timezone="Europe/Zurich",
        online_url="https://example.org/x",
        description="How Coalition members fund primary health care.",
    )
    return {"kz": member("KZ"), "event": event}


def _page_params():
    for entry in PAGES:
        name, path, *marks = entry
        yield pytest.param(path, id=name, marks=marks)


@pytest.mark.parametrize("path", list(_page_params()))
def test_public_page_has_no_wcag_violations(request, site, live_server, page, path):
    url = live_server.url + path(site)
    response = page.goto(url)
    assert response.status == 200, f"{url}: HTTP {response.status}"
    assert_no_violations(page, name=request.node.callspec.id)


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(site, live_server, page):
    page.goto(live_server.url + "/en/")
    assert tab_until(page, "a.skip-link", max_tabs=1), focused_description(page)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_event_filters_work_from_the_keyboard(site, live_server, page):
    page.goto(live_server.url + "/en/events/")
    assert tab_until(page, "#id_kind"), f"Tab never reached the kind filter; stopped at {focused_description(page)}"
    page.keyboard.press("ArrowDown")  # a closed <select> changes its value with the arrow keys
    chosen = page.eval_on_selector("#id_kind", "el => el.value")
    assert chosen
    assert tab_until(page, ".event-filter button", max_tabs=10)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**kind={chosen}**")


def test_tab_until_gives_up_on_what_cannot_take_focus(site, live_server, page):
    page.goto(live_server.url + "/en/")
    assert not tab_until(page, "h1", max_tabs=5)


def test_directory_filters_work_from_the_keyboard(site, live_server, page):
    page.goto(live_server.url + "/en/members/")
    assert tab_until(page, "#id_q"), focused_description(page)
    page.keyboard.type("kaz")
    assert tab_until(page, "input[name=region][value=EUR]", max_tabs=15), focused_description(page)
    page.keyboard.press("Space")
    assert tab_until(page, ".filters button[type=submit]", max_tabs=40), focused_description(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**region=EUR**")
    assert "q=kaz" in page.url
    assert page.locator("tbody th a", has_text="Kazakhstan").count() == 1
