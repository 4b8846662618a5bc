"""The Secretariat keeps the records in the admin, through the services: refusals are messages on the form."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.models import Action
from governance.models import ActionItem, Activity, Decision, WorkPlan
from tests.governance.conftest import make_decision, make_item, make_meeting

pytestmark = pytest.mark.django_db


def _inline(prefix, rows, total=None, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(total if total is not None else len(rows)),
            f"{prefix}-INITIAL_FORMS": str(initial), f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{k}": v for k, v in row.items()})
    return data


def test_every_page_opens(client, staff, kz):
    item = make_item(owner_country=kz)
    client.force_login(staff)
    for name in ["meeting", "decision", "actionitem", "workplan", "activity"]:
        assert client.get(reverse(f"admin:governance_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:governance_{name}_add")).status_code == 200
    assert client.get(reverse("admin:governance_meeting_change", args=[item.decision.meeting.pk])).status_code == 200
    assert client.get(reverse("admin:governance_decision_change", args=[item.decision.pk])).status_code == 200
    assert client.get(reverse("admin:governance_actionitem_changelist") + "?due=overdue").status_code == 200
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="today-action_items"' in page


def test_decisions_and_items_added_in_the_admin_are_numbered_and_logged(client, staff, kz):
    meeting = make_meeting()
    client.force_login(staff)
    data = {"original_language": "en", "agenda_en": "1. Recap", "minutes_en": "Met."}
    data |= _inline("decisions", [{"original_language": "en", "text_en": "Adopt the plan.", "number": ""}])
    response = client.post(reverse("admin:governance_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    decision = Decision.objects.get()
    assert decision.number == 1 and Action.objects.filter(action="decision.saved", user=staff).exists()

    data = {"original_language": "en", "text_en": "Adopt the plan.", "number": "1"}
    data |= _inline("action_items", [{"description": "Circulate the plan", "owner_country": str(kz.pk),
                                      "due_on": str(timezone.localdate() + timedelta(days=20)), "status": "done",
                                      "completed_on": str(timezone.localdate() + timedelta(days=2))}])
    response = client.post(reverse("admin:governance_decision_change", args=[decision.pk]), data)
    assert response.status_code == 200 and "future" in response.content.decode()
    assert not ActionItem.objects.exists()
    data["action_items-0-completed_on"] = ""
    response = client.post(reverse("admin:governance_decision_change", args=[decision.pk]), data)
    assert response.status_code == 302, [f.errors for f in response.context["inline_admin_formsets"][0].formset]
    item = ActionItem.objects.get()
    assert item.status == "done" and item.completed_on == timezone.localdate()
    assert Action.objects.filter(action="action_item.saved", user=staff).exists()


def test_a_work_plan_refuses_co_leads_without_a_seat_and_keeps_what_was_typed(client, staff, kz, fr):
    year = timezone.localdate().year
    client.force_login(staff)
    row = {"line": "policy_advocacy", "original_language": "en", "title_en": "UNGA statement",
           "starts_on": str(date(year, 3, 1)), "ends_on": str(date(year, 9, 1)), "status": "planned",
           "progress": "0", "co_leads": [str(kz.pk), str(fr.pk)], "position": "0"}
    data = {"year": str(year), "adopted_by": ""} | _inline("activities", [row])
    response = client.post(reverse("admin:governance_workplan_add"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "France hold no Core Group seat" in page and "UNGA statement" in page
    assert not WorkPlan.objects.exists()

    data["activities-0-co_leads"] = [str(kz.pk)]
    response = client.post(reverse("admin:governance_workplan_add"), data)
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert list(activity.co_leads.all()) == [kz] and activity.plan.year == year

    edit = {"plan": str(activity.plan.pk), "line": "policy_advocacy", "original_language": "en",
            "title_en": "UNGA statement", "starts_on": str(date(year, 3, 1)), "ends_on": str(date(year, 9, 1)),
            "status": "under_way", "progress": "0", "co_leads": [str(kz.pk), str(fr.pk)], "position": "0"}
    edit |= _inline("updates", [{"on": str(timezone.localdate()), "text": "Drafted", "progress": "30"}])
    response = client.post(reverse("admin:governance_activity_change", args=[activity.pk]), edit)
    assert response.status_code == 200 and "France hold no Core Group seat" in response.content.decode()
    edit["co_leads"] = [str(kz.pk)]
    response = client.post(reverse("admin:governance_activity_change", args=[activity.pk]), edit)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "under_way" and activity.progress == 30 and activity.updates.count() == 1


def test_only_core_group_meetings_get_a_record_in_the_admin(client, staff):
    from tests.events.conftest import make_event

    client.force_login(staff)
    webinar = make_event()
    response = client.post(reverse("admin:governance_meeting_add"), {
        "event": str(webinar.pk), "original_language": "en"} | _inline("decisions", []))
    assert response.status_code == 200 and not webinar.__class__.objects.filter(core_group_record__isnull=False)


def test_marking_items_done_from_the_list(client, staff):
    item = make_item()
    make_decision()
    client.force_login(staff)
    response = client.post(reverse("admin:governance_actionitem_changelist"),
                           {"action": "mark_done", "_selected_action": [str(item.pk)]})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done" and item.completed_on == timezone.localdate()
