"""Every page a visitor or a focal point opens, at 390 px: nothing wider than the screen.

Wide tables scroll inside their own box; the page itself never scrolls sideways.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from events import services as event_services
from members import services as member_services
from members.models import Country
from pledges import selectors, services
from tests.factories import StaffFactory, member
from tests.pledges.conftest import make_focal_point, publish_with_report, since

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH = 390
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-scroll'))
    .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined
        ? '.' + String(e.className).split(' ').join('.') : ''))"""


@pytest.fixture
def world(transactional_db):
    for iso2 in ["GH", "BR", "TH", "FR", "ID", "EG", "IN"]:
        member(iso2, since=since())
    kz = member("KZ", since=since()).country
    member_services.grant_seat(country=kz, start=since())
    staff = StaffFactory()
    fp = make_focal_point(kz, email="fp@kz.example.org")
    pledge, report = publish_with_report(kz, fp, staff)
    draft = services.start_progress_report(pledge=pledge, by=fp) if selectors.next_report(
        pledge, today=timezone.localdate()) else None
    start = timezone.now() + timedelta(days=20)
    event = event_services.create_event(title="World Health Assembly side event on primary health care",
                                        kind="global", occasion="wha", starts_at=start,
                                        ends_at=start + timedelta(hours=2), timezone="Europe/Zurich",
                                        venue="Palais des Nations, Geneva")
    return {"fp": fp, "pledge": pledge, "report": report, "draft": draft, "event": event,
            "country": Country.objects.get(iso2="KZ")}


def _public_paths(w):
    return [
        "/en/", "/ru/", "/en/members/", "/ru/members/?status=all", "/en/indicators/", "/ru/indicators/",
        "/en/champions/", "/en/pledges/", "/ru/pledges/", f"/en/pledges/{w['pledge'].pk}/",
        f"/ru/progress/{w['report'].pk}/", "/en/countries/kaz/", "/ru/countries/kaz/", "/en/events/",
        f"/en/events/{w['event'].pk}/", "/ru/accounts/login/",
        # Core Group records (issue 18): the public decisions and the work plan.
        "/en/core-group/decisions/", "/ar/core-group/decisions/", "/en/work-plan/", "/ru/work-plan/", "/ar/work-plan/",
        "/en/members/representativeness/", "/ru/members/representativeness/",
    ]


def _focal_point_paths(w):
    paths = ["/en/dashboard/", "/ru/dashboard/", f"/ru/pledges/{w['pledge'].pk}/"]
    if w["draft"] is not None:
        paths.append(f"/ru/progress/{w['draft'].pk}/edit/")
    return paths


def _too_wide(page, base, paths):
    wide = {}
    for path in paths:
        page.goto(base + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > WIDTH:
            wide[path] = (width, page.evaluate(OVERFLOWING))
    return wide


def test_no_page_is_wider_than_a_phone(world, live_server, browser, client, screenshot_dir):
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, is_mobile=True)
    page = context.new_page()
    wide = _too_wide(page, live_server.url, _public_paths(world))
    page.goto(live_server.url + "/en/countries/kaz/")
    page.screenshot(path=screenshot_dir / "phone-country-kaz.png", full_page=True)
    client.force_login(world["fp"])
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    wide |= _too_wide(page, live_server.url, _focal_point_paths(world))
    page.goto(live_server.url + "/en/dashboard/")
    page.screenshot(path=screenshot_dir / "phone-dashboard.png", full_page=True)
    context.close()
    assert wide == {}


RTL_NAV_SIDE = """() => { const brand = document.querySelector('.brand').getBoundingClientRect();
    const nav = document.querySelector('.site-header nav ul').getBoundingClientRect();
    return {brand: brand.left, nav: nav.left, width: document.documentElement.clientWidth}; }"""


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_arabic_reads_right_to_left_and_chinese_fits_at_phone_and_desktop_width(world, live_server, browser,
                                                                                  client, screenshot_dir, lang):
    # The focal point also speaks for Ghana, whose pledge is a draft: its form is the page to see.
    from tests.pledges.conftest import fill

    ghana = Country.objects.get(iso2="GH")
    services.add_focal_point(country=ghana, user=world["fp"])
    draft_pledge = fill(services.start_pledge(country=ghana, by=world["fp"]), world["fp"])
    client.force_login(world["fp"])
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
              "url": live_server.url}
    pages = {"home": f"/{lang}/", "directory": f"/{lang}/members/", "country": f"/{lang}/countries/kaz/",
             "dashboard": f"/{lang}/dashboard/", "pledge-form": f"/{lang}/pledges/{draft_pledge.pk}/edit/",
             "indicators": f"/{lang}/indicators/"}
    wide, sides = {}, {}
    for device, viewport in [("phone", {"width": WIDTH, "height": 844}), ("desktop", {"width": 1280, "height": 900})]:
        context = browser.new_context(viewport=viewport, is_mobile=device == "phone")
        context.add_cookies([cookie])
        page = context.new_page()
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert page.evaluate("() => document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
            if device == "phone":
                width = page.evaluate("() => document.documentElement.scrollWidth")
                if width > WIDTH:
                    wide[path] = (width, page.evaluate(OVERFLOWING))
            else:
                sides[name] = page.evaluate(RTL_NAV_SIDE)
            page.screenshot(path=screenshot_dir / f"{lang}-{device}-{name}.png", full_page=True)
        context.close()
    assert wide == {}
    for name, side in sides.items():
        # The brand starts the header: on the right in Arabic, with the menu to its left.
        if lang == "ar":
            assert side["brand"] > side["width"] / 2 > side["nav"], (name, side)
        else:
            assert side["brand"] < side["width"] / 2, (name, side)


SMALLEST_LABEL = """() => Math.min(...[...document.querySelectorAll('svg text')].map(t => {
    const svg = t.ownerSVGElement, box = svg.viewBox.baseVal;
    const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
    return parseFloat(getComputedStyle(t).fontSize) * scale; }))"""


def test_chart_labels_are_readable_on_a_phone(world, live_server, browser, screenshot_dir):
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, is_mobile=True)
    page = context.new_page()
    sizes = {}
    for path in ["/en/indicators/", "/en/countries/kaz/", f"/en/pledges/{world['pledge'].pk}/",
                 "/ru/members/representativeness/"]:
        page.goto(live_server.url + path)
        sizes[path] = round(page.evaluate(SMALLEST_LABEL), 1)
    page.goto(live_server.url + "/en/indicators/")
    page.screenshot(path=screenshot_dir / "phone-indicators.png", full_page=True)
    context.close()
    assert all(size >= 12 for size in sizes.values()), sizes
