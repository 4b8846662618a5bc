"""Meetings, decisions, action items and the work plan through the services, each action in the audit log."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coalition.models import Action
from governance import services
from governance.models import ActionItem, Activity, Decision, Meeting, WorkPlan
from members import core_group as seats
from members.models import CoLead, Country
from tests.events.conftest import make_event
from tests.factories import member
from tests.governance.conftest import make_decision, make_item, make_meeting, since

pytestmark = pytest.mark.django_db


def actions(name):
    return list(Action.objects.filter(action=name).order_by("pk"))


def test_only_core_group_meetings_have_a_record(staff):
    webinar = make_event(title="Webinar")
    with pytest.raises(ValidationError) as refused:
        services.save_meeting(meeting=Meeting(event=webinar, agenda_en="1."), by=staff)
    assert "Only Core Group annual meetings" in str(refused.value)
    assert not Meeting.objects.exists() and actions("core_group_meeting.saved") == []

    meeting = make_meeting()
    assert actions("core_group_meeting.saved")[-1].object_id == str(meeting.pk)


def test_decisions_are_numbered_in_their_meeting_and_logged_with_who(staff):
    meeting = make_meeting()
    first = services.save_decision(decision=Decision(meeting=meeting, text_en="Adopt the plan."), by=staff)
    second = services.save_decision(decision=Decision(meeting=meeting, text_en="Hold a workshop."), by=staff)
    other = make_decision()
    assert (first.number, second.number, other.number) == (1, 2, 1)
    logged = actions("decision.saved")
    assert logged[0].user == staff and logged[0].changes["number"] == [None, 1]

    with pytest.raises(ValidationError) as refused:
        services.save_decision(decision=Decision(meeting=meeting, number=2, text_en="Again"), by=staff)
    assert "already has a decision 2" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.save_decision(decision=Decision(meeting=meeting, text_fr="Seulement en français"))
    assert "original language" in str(refused.value)
    assert meeting.decisions.count() == 2


def test_the_database_refuses_a_second_decision_with_one_number():
    decision = make_decision()
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(meeting=decision.meeting, number=decision.number, text="Twin")


def test_action_item_status_and_completion(kz, staff):
    item = make_item(owner_country=kz)
    assert item.status == ActionItem.Status.OPEN and item.completed_on is None
    done = services.set_action_item_status(item=item, status=ActionItem.Status.DONE, by=staff)
    assert done.completed_on == timezone.localdate()
    entry = actions("action_item.status_changed")[-1]
    assert entry.user == staff and entry.changes["status"] == ["open", "done"] and entry.country == kz

    reopened = services.set_action_item_status(item=item, status=ActionItem.Status.IN_PROGRESS)
    assert reopened.completed_on is None
    with pytest.raises(ValidationError):
        services.set_action_item_status(item=item, status="finished")
    with pytest.raises(ValidationError) as refused:
        services.set_action_item_status(item=item, status=ActionItem.Status.DONE,
                                        completed_on=timezone.localdate() + timedelta(days=3))
    assert "future" in str(refused.value)
    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.IN_PROGRESS


def test_a_done_item_without_a_completion_date_is_refused_by_the_database():
    item = make_item()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.filter(pk=item.pk).update(status=ActionItem.Status.DONE)


def test_an_item_links_to_what_it_produced(kz):
    event = make_event(title="UNGA side event")
    item = make_item(owner_country=kz, event=event, url="https://example.org/concept-note.pdf")
    assert item.event == event and event.action_items.get() == item
    with pytest.raises(ValidationError):
        make_item(url="not a link")


# --- The work plan ---------------------------------------------------------------------------------------


def activity(plan, **fields):
    year = plan.year
    fields.setdefault("line", CoLead.Line.KNOWLEDGE_EXCHANGE)
    fields.setdefault("title_en", "Peer learning on PHC financing")
    fields.setdefault("starts_on", date(year, 3, 1))
    fields.setdefault("ends_on", date(year, 11, 30))
    co_leads = fields.pop("co_leads", [])
    return services.save_activity(activity=Activity(plan=plan, **fields), co_leads=co_leads)


def test_co_leads_of_an_activity_hold_a_seat_that_year(kz, fr, staff):
    year = timezone.localdate().year
    plan = services.save_work_plan(plan=WorkPlan(year=year), by=staff)
    with pytest.raises(ValidationError) as refused:
        activity(plan, co_leads=[kz, fr])
    assert "France hold no Core Group seat" in str(refused.value)
    assert not Activity.objects.exists()

    made = activity(plan, co_leads=[kz])
    assert list(made.co_leads.all()) == [kz]
    # The same rule as co-leads of a line (members.core_group.appoint_co_lead): one function decides.
    with pytest.raises(ValidationError):
        seats.appoint_co_lead(year=year, line=CoLead.Line.POLICY_ADVOCACY, country=fr)
    assert seats.appoint_co_lead(year=year, line=CoLead.Line.POLICY_ADVOCACY, country=kz).country == kz

    # France joins the Core Group later this year: it holds a seat in the year, so it may co-lead.
    seats.grant_seat(country=fr, start=max(timezone.localdate(), since() + timedelta(days=1)))
    made = services.save_activity(activity=made, co_leads=[kz, fr], by=staff)
    assert set(made.co_leads.all()) == {kz, fr}
    assert actions("activity.saved")[-1].user == staff


def test_a_seat_that_ended_before_the_year_does_not_count(kz):
    member("GH", since=date(2020, 1, 1))
    gh = Country.objects.get(iso2="GH")
    seats.grant_seat(country=gh, start=date(2020, 1, 10))  # ends 10 Jan 2023
    plan = services.save_work_plan(plan=WorkPlan(year=2024))
    with pytest.raises(ValidationError):
        activity(plan, co_leads=[gh])
    assert activity(services.save_work_plan(plan=WorkPlan(year=2022)), co_leads=[gh])


def test_an_activity_has_a_period_in_its_year_and_progress_in_percent():
    plan = services.save_work_plan(plan=WorkPlan(year=2026))
    with pytest.raises(ValidationError) as refused:
        activity(plan, starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1))
    assert "end before it starts" in str(refused.value)
    with pytest.raises(ValidationError):
        activity(plan, starts_on=date(2027, 2, 1), ends_on=date(2027, 3, 1))
    with pytest.raises(ValidationError):
        activity(plan, progress=140)
    made = activity(plan, starts_on=date(2025, 11, 1), ends_on=date(2026, 2, 1))  # spans the new year
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=made.pk).update(progress=101)


def test_timeline_entries_move_the_progress(staff):
    plan = services.save_work_plan(plan=WorkPlan(year=timezone.localdate().year))
    made = activity(plan, starts_on=date(plan.year, 1, 1), ends_on=date(plan.year, 12, 31))
    today = timezone.localdate()
    services.add_activity_update(activity=made, on=today, text="Concept note agreed.", progress=40, by=staff)
    services.add_activity_update(activity=made, on=today - timedelta(days=30), text="Kick-off.", progress=10)
    made.refresh_from_db()
    assert made.progress == 40  # the latest entry's, whatever order they are written in
    assert actions("activity.update_added")[0].user == staff
    with pytest.raises(ValidationError):
        services.add_activity_update(activity=made, on=today, text="Too far", progress=120)
    with pytest.raises(ValidationError):
        services.add_activity_update(activity=made, on=today + timedelta(days=2), text="Not yet", progress=50)
    with pytest.raises(ValidationError):
        services.add_activity_update(activity=made, on=today, text="  ", progress=50)
    assert made.updates.count() == 2


def test_a_plan_is_adopted_by_a_core_group_decision(staff):
    meeting = make_meeting(starts_at=timezone.now().replace(month=1, day=15, hour=9, minute=0, second=0,
                                                            microsecond=0))
    decision = make_decision(meeting, text_en="The Core Group adopts the work plan.")
    year = meeting.event.local_starts_at.year
    plan = services.save_work_plan(plan=WorkPlan(year=year))
    adopted = services.adopt_work_plan(plan=plan, decision=decision, by=staff)
    assert adopted.adopted_by == decision
    assert actions("work_plan.adopted")[-1].changes["adopted_by"] == [None, str(decision)]
    late = services.save_work_plan(plan=WorkPlan(year=year - 1))
    with pytest.raises(ValidationError) as refused:
        services.adopt_work_plan(plan=late, decision=decision)
    assert "cannot be adopted" in str(refused.value)
    assert WorkPlan.objects.get(pk=late.pk).adopted_by is None


def test_plan_years_are_unique_and_plausible():
    services.save_work_plan(plan=WorkPlan(year=2026))
    with pytest.raises(ValidationError):
        services.save_work_plan(plan=WorkPlan(year=2026))
    with pytest.raises(ValidationError):
        services.save_work_plan(plan=WorkPlan(year=1990))

