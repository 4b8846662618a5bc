"""The meeting record (Core Group and Secretariat only: 404 to others), the public decisions and the work plan."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Activity, WorkPlan
from members.models import CoLead
from tests.events.conftest import make_event
from tests.governance.conftest import make_decision, make_item, make_meeting

pytestmark = pytest.mark.django_db


def record_url(meeting):
    return reverse("governance:meeting", args=[meeting.event_id])


def test_the_record_is_seen_by_the_core_group_and_the_secretariat_only(client, kz, fr, staff, kz_focal_point,
                                                                         fr_focal_point):
    meeting = make_meeting(title="Astana annual meeting", minutes_en="The Core Group met in Astana.")
    decision = make_decision(meeting, text_en="Hold a knowledge exchange on PHC financing.")
    make_item(decision, owner_country=kz, description="Host the knowledge exchange.")
    url = record_url(meeting)

    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(fr_focal_point)
    assert client.get(url).status_code == 404
    assert client.get(reverse("governance:meetings")).status_code == 404
    for user in (kz_focal_point, staff):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "The Core Group met in Astana." in page and "Hold a knowledge exchange" in page
        assert "Host the knowledge exchange." in page and "Kazakhstan" in page
        assert "Astana annual meeting" in client.get(reverse("governance:meetings")).content.decode()


def test_a_webinar_has_no_record_page(client, staff):
    client.force_login(staff)
    assert client.get(reverse("governance:meeting", args=[make_event().pk])).status_code == 404


def test_the_record_takes_a_fixed_number_of_queries(client, staff, kz, django_assert_max_num_queries):
    meeting = make_meeting()
    decision = make_decision(meeting)
    make_item(decision, owner_country=kz)
    client.force_login(staff)
    client.get(record_url(meeting))
    with django_assert_max_num_queries(12) as few:
        client.get(record_url(meeting))
    for n in range(4):
        more = make_decision(meeting, text_en=f"Decision {n}")
        make_item(more, owner_country=kz, event=make_event(title=f"Event {n}"))
        make_item(more, owner_country=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(record_url(meeting)).status_code == 200


def test_public_decisions_only_on_the_public_page(client):
    meeting = make_meeting()
    make_decision(meeting, text_en="The Coalition will hold a UNGA side event.", public=True)
    make_decision(meeting, text_en="The budget line stays confidential.")
    page = client.get(reverse("governance:decisions")).content.decode()
    assert "UNGA side event" in page and "confidential" not in page
    assert "Core Group meeting of" in page


def test_decisions_in_the_readers_language_or_the_original_marked(client):
    make_decision(text_en="Adopt the plan.", text_fr="Adopter le plan.", public=True)
    assert "Adopter le plan." in client.get("/fr/core-group/decisions/").content.decode()
    page = client.get("/ru/core-group/decisions/").content.decode()
    assert "Adopt the plan." in page and 'lang="en"' in page


def plan_with_activities(kz, year=None):
    year = year or timezone.localdate().year
    meeting = make_meeting(starts_at=timezone.now().replace(year=year - 1, month=12, day=1))
    adoption = make_decision(meeting, text_en="The Core Group adopts the work plan.", public=True)
    plan = services.save_work_plan(plan=WorkPlan(year=year, adopted_by=adoption))
    advocacy = services.save_activity(activity=Activity(
        plan=plan, line=CoLead.Line.POLICY_ADVOCACY, title_en="Side event at the UN General Assembly",
        starts_on=date(year, 6, 1), ends_on=date(year, 9, 30), status=Activity.Status.UNDER_WAY,
    ), co_leads=[kz], events=[make_event(title="UNGA side event", public=True)], decisions=[adoption])
    services.add_activity_update(activity=advocacy, on=date(year, 1, 1), text="Concept note agreed.", progress=35)
    return plan, advocacy


def test_the_work_plan_page(client, kz):
    plan, advocacy = plan_with_activities(kz)
    page = client.get(reverse("governance:work-plan")).content.decode()
    assert f"Work plan {plan.year}" in page
    assert "Side event at the UN General Assembly" in page and "Kazakhstan" in page
    assert 'value="35"' in page and "Concept note agreed." in page and "Under way" in page
    assert "Political mobilization" in page and "No activity in this line of work." in page
    assert "Adopted by decision 1 of the Core Group meeting" in page
    assert reverse("events:detail", args=[advocacy.events.get().pk]) in page


def test_other_years_and_bad_years(client, kz):
    plan_with_activities(kz, year=2025)
    assert "Side event" in client.get(reverse("governance:work-plan") + "?year=2025").content.decode()
    page = client.get(reverse("governance:work-plan") + "?year=2031").content.decode()
    assert "There is no work plan for 2031." in page and "?year=2025" in page
    response = client.get(reverse("governance:work-plan") + "?year=twenty")
    assert response.status_code == 200 and "is not a year" in response.content.decode()
    assert client.get(reverse("governance:work-plan") + "?year=99999999999").status_code == 200


def test_the_work_plan_takes_a_fixed_number_of_queries(client, kz, django_assert_max_num_queries):
    plan, _activity = plan_with_activities(kz)
    client.get(reverse("governance:work-plan"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("governance:work-plan"))
    for n in range(3):
        more = services.save_activity(activity=Activity(
            plan=plan, line=CoLead.Line.KNOWLEDGE_EXCHANGE, title_en=f"Exchange {n}",
            starts_on=date(plan.year, 2, 1), ends_on=date(plan.year, 3, 1)), co_leads=[kz])
        services.add_activity_update(activity=more, on=date(plan.year, 1, 2), text="Started", progress=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("governance:work-plan"))


def test_the_dashboard_lists_the_countrys_open_items(client, kz, kz_focal_point, fr, fr_focal_point):
    late = make_item(owner_country=kz, description="Send the survey to members.",
                     due_on=timezone.localdate() - timedelta(days=1))
    make_item(owner_country=None, description="Secretariat work")
    client.force_login(kz_focal_point)
    page = client.get("/en/dashboard/").content.decode()
    assert "Core Group action items" in page and "Send the survey to members." in page
    assert "was due on" in page and "Secretariat work" not in page
    assert f"/en/core-group/meetings/{late.decision.meeting.event_id}/" in page
    client.force_login(fr_focal_point)
    assert "Core Group action items" not in client.get("/en/dashboard/").content.decode()
