"""The knowledge library on a phone (390 px) and a desktop: search, facets without JavaScript, an item."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from events import services as event_services
from library.models import Kind
from members.models import Country
from pledges.models import CommitmentProgress
from tests.factories import StaffFactory, member
from tests.library.conftest import make_resource, pdf_upload
from tests.pledges.conftest import make_focal_point, publish_with_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth + 1"


@pytest.fixture
def library(transactional_db):
    since = timezone.localdate() - timedelta(days=400)
    kz = member("KZ", since=since).country
    gh = member("GH", since=since).country
    th = Country.objects.get(iso2="TH")
    make_resource(title="Santé communautaire : les agents de santé au Sénégal et au Ghana", language="fr",
                  kind=Kind.CASE_STUDY, countries=[gh], levers=["workforce", "engagement"],
                  summary_fr="Comment les agents de santé communautaires ont rapproché les soins des familles.",
                  published_on=date(2025, 3, 12))
    make_resource(title="Financing primary health care: a guide for ministries of finance", kind=Kind.DOCUMENT,
                  file=pdf_upload("Capitation, global budgets and community health financing in Thailand."),
                  countries=[th], levers=["funding", "purchasing"], components=["integrated_services"],
                  summary_en="How countries raised the share of public spending that reaches primary care.",
                  published_on=date(2025, 1, 20))
    make_resource(title="Сельская больница: опыт Казахстана в первичной медико-санитарной помощи", language="ru",
                  countries=[kz], levers=["models_of_care"], members_only=True,
                  summary_ru="Уроки реформы сельских больниц и поликлиник.", published_on=date(2024, 11, 5))
    start = timezone.now() - timedelta(days=40)
    event = event_services.create_event(title="Workshop on community engagement in primary health care",
                                        kind="workshop", theme="engagement", starts_at=start,
                                        ends_at=start + timedelta(hours=3), timezone="Europe/Zurich",
                                        venue="Geneva")
    event_services.add_material(event=event, kind="slides", title="Community health workers: what worked",
                                url="https://example.org/slides")
    _pledge, report = publish_with_report(kz, make_focal_point(kz), StaffFactory())
    CommitmentProgress.objects.filter(report=report).update(
        barriers="Rural clinics lacked nurses and community health workers.",
        lessons="Registering every family with a team built trust; community councils helped.")


def test_the_library_on_a_desktop_and_a_phone(live_server, page, browser, screenshot_dir, library):
    page.goto(f"{live_server.url}/en/library/")
    page.wait_for_selector("text=Knowledge library")
    assert page.locator(".library-item").count() == 5
    page.screenshot(path=screenshot_dir / "library-1-desktop.png", full_page=True)

    # A search with an accent left out, then a facet ticked: an ordinary GET form, no script.
    page.fill("input[name=q]", "communautaire")
    page.click("button:has-text('Search')")
    page.wait_for_selector("text=Santé communautaire")
    assert page.locator(".library-item").count() == 1
    page.fill("input[name=q]", "community")
    page.click("button:has-text('Search')")
    page.wait_for_selector(".library-item")
    before = page.locator(".library-item").count()
    page.check("input[name=kind][value=lesson]")
    page.click("button:has-text('Apply')")
    page.wait_for_selector("text=Lessons learned")
    lessons = page.locator(".library-item .library-kind").all_inner_texts()
    assert lessons == ["Lesson learned"] * 2 and len(lessons) < before
    page.screenshot(path=screenshot_dir / "library-2-desktop-search.png", full_page=True)

    phone = browser.new_context(viewport=PHONE)
    small = phone.new_page()
    small.goto(f"{live_server.url}/fr/library/?q=sante")
    small.wait_for_selector(".library-item")
    assert not small.evaluate(WIDER_THAN_SCREEN)
    small.screenshot(path=screenshot_dir / "library-3-phone-search.png", full_page=True)
    small.click(".library-item h3 a >> nth=0")
    small.wait_for_selector("h1")
    assert not small.evaluate(WIDER_THAN_SCREEN)
    small.screenshot(path=screenshot_dir / "library-4-phone-item.png", full_page=True)
    small.goto(f"{live_server.url}/ar/library/")
    small.wait_for_selector(".library-item")
    assert not small.evaluate(WIDER_THAN_SCREEN)
    small.screenshot(path=screenshot_dir / "library-5-phone-arabic.png", full_page=True)
    phone.close()
