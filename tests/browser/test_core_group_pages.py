"""The rotation timeline (staff) and the public champions page, as people see them."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members import core_group, services
from members.models import Champion, Country
from tests.factories import TEST_PASSWORD, StaffFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _login(page, base, email):
    page.goto(base + "/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")


def test_rotation_timeline_and_champions(live_server, page, screenshot_dir):
    from PIL import Image

    for iso2, since in [("KZ", date(2023, 10, 25)), ("GH", date(2022, 3, 1)), ("BR", date(2021, 12, 10)),
                        ("TH", date(2020, 9, 23))]:
        member(iso2, since=since)
    services.grant_seat(country=Country.objects.get(iso2="KZ"), start=date(2023, 10, 25))
    services.grant_seat(country=Country.objects.get(iso2="TH"), start=date(2021, 1, 1))
    services.grant_seat(country=Country.objects.get(iso2="GH"), start=date(2024, 3, 1))
    services.grant_seat(country=Country.objects.get(iso2="BR"), start=date(2025, 6, 1))
    staff = StaffFactory()
    _login(page, live_server.url, staff.email)
    page.goto(live_server.url + "/en/admin/members/coregroupseat/rotation/")
    assert page.locator("svg.timeline rect").count() == 4
    page.screenshot(path=screenshot_dir / "core-group-rotation.png", full_page=True)

    out = io.BytesIO()
    Image.new("RGB", (500, 500), (11, 92, 140)).save(out, format="JPEG")
    champion = core_group.save_champion(
        champion=Champion(name="H.E. Dr Example Champion", title="Minister of Health", country=Country.objects.get(iso2="GH"),
                          biography="Led the national PHC reform."),
        photo=SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg"),
    )
    core_group.add_commitment(champion=champion, start=date(2026, 1, 15))
    page.goto(live_server.url + "/en/champions/")
    assert page.locator("h2", has_text="Example Champion").count() == 1
    page.wait_for_function("() => document.querySelector('img.champion-photo').naturalWidth > 0")
    page.screenshot(path=screenshot_dir / "champions.png", full_page=True)


def test_the_rotation_timeline_reads_on_a_phone(live_server, browser, screenshot_dir):
    for iso2, since in [("KZ", date(2023, 10, 25)), ("GH", date(2022, 3, 1)), ("BR", date(2021, 12, 10))]:
        member(iso2, since=since)
    services.grant_seat(country=Country.objects.get(iso2="KZ"), start=date(2023, 10, 25))
    services.grant_seat(country=Country.objects.get(iso2="GH"), start=date(2024, 3, 1))
    staff = StaffFactory()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    _login(page, live_server.url, staff.email)
    page.goto(live_server.url + "/en/admin/members/coregroupseat/rotation/")
    assert page.locator("svg.timeline rect").count() == 2
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    labels = page.locator("svg.timeline-labels")
    before = labels.bounding_box()
    # Scrolled to the latest years, the countries are still in view, at their own size.
    page.evaluate("() => { const box = document.querySelector('.timeline-scroll'); box.scrollLeft = box.scrollWidth; }")
    assert page.evaluate("() => document.querySelector('.timeline-scroll').scrollLeft") > 0
    assert labels.bounding_box() == before
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.timeline-labels text')).fontSize)")
    assert size >= 12
    page.screenshot(path=screenshot_dir / "phone-core-group-rotation.png", full_page=True)
    context.close()
