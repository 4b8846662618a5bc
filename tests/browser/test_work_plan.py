"""The work plan page with real content, at phone width and on a desktop (screenshots in test-output/)."""

from datetime import date

import pytest
from django.utils import timezone

from governance import services
from governance.models import Activity, WorkPlan
from members import core_group as seats
from members.models import CoLead, Country
from tests.factories import member
from tests.governance.conftest import make_decision, make_meeting, since

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def plan(transactional_db):
    year = timezone.localdate().year
    countries = []
    for iso2 in ["KZ", "GH", "TH"]:
        member(iso2, since=since())
        country = Country.objects.get(iso2=iso2)
        seats.grant_seat(country=country, start=since())
        countries.append(country)
    kz, gh, th = countries
    meeting = make_meeting(starts_at=timezone.now().replace(year=year - 1, month=12, day=3))
    adoption = make_decision(meeting, text_en="The Core Group adopts the work plan for the coming year.", public=True)
    plan = services.save_work_plan(plan=WorkPlan(year=year, adopted_by=adoption))
    rows = [
        (CoLead.Line.POLITICAL_MOBILIZATION, "High-level side event at the World Health Assembly", [kz, gh],
         Activity.Status.COMPLETED, 100),
        (CoLead.Line.POLICY_ADVOCACY, "Joint statement on primary health care financing at the UN General Assembly",
         [th], Activity.Status.UNDER_WAY, 45),
        (CoLead.Line.KNOWLEDGE_EXCHANGE, "Peer-learning workshops on multisectoral PHC governance", [gh, th],
         Activity.Status.PLANNED, 0),
    ]
    for line, title, co_leads, status, progress in rows:
        activity = services.save_activity(activity=Activity(
            plan=plan, line=line, title_en=title, starts_on=date(year, 2, 1), ends_on=date(year, 11, 30),
            status=status, description_en="Led by the co-lead countries with the Secretariat's support."),
            co_leads=co_leads, decisions=[adoption])
        if progress:
            services.add_activity_update(activity=activity, on=date(year, 1, 1),
                                         text="Concept note agreed by the co-leads.", progress=progress)
    return plan


def test_the_work_plan_fits_a_phone_and_a_desktop(plan, live_server, browser, screenshot_dir):
    for width, name in [(390, "phone"), (1280, "desktop")]:
        context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
        page = context.new_page()
        page.goto(live_server.url + "/en/work-plan/")
        assert page.locator("h1").inner_text() == f"Work plan {plan.year}"
        assert page.locator("progress").count() == 3
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        page.screenshot(path=screenshot_dir / f"work-plan-{name}.png", full_page=True)
        context.close()
    context = browser.new_context(viewport={"width": 390, "height": 900}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/ar/work-plan/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.screenshot(path=screenshot_dir / "work-plan-phone-ar.png", full_page=True)
    context.close()
