"""The audit log: every service action once, with who did it (a person or a scheduled job)."""

import importlib
import inspect
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from announcements import services as announcement_services
from coalition import audit
from coalition.models import Action
from events import services as event_services
from governance import services as governance_services
from library import services as library_services
from members import core_group
from members import services as member_services
from members.models import Membership
from pledges import services as pledge_services
from pledges.services import invitations as pledge_invitations
from pledges.services import pledges as pledge_workflow
from pledges.services import progress_reports as pledge_reports
from reports import services as report_services
from tests.events.conftest import make_event
from tests.factories import StaffFactory, UserFactory, member
from tests.pledges.conftest import fill

pytestmark = pytest.mark.django_db

SERVICE_MODULES = [member_services, core_group, pledge_invitations, pledge_workflow, pledge_reports, event_services,
                   report_services, announcement_services, account_services, library_services,
                   governance_services]
# Functions of those modules that change nothing (checks and reads), compose audited ones, or
# are scheduled jobs whose own steps are audited (renewals) or whose effect is an e-mail in the outbox.
NOT_ACTIONS = {
    "check_received_on", "accede", "end_seats_with_membership", "validate_photo", "renew_commitment",
    "send_seat_reminders", "check_can_invite", "find_invitation", "accept_invitation", "missing_for_submission",
    "snapshot", "missing_for_report", "send_due_reminders", "send_overdue_digest", "renew_due_memberships",
    "check_parameters", "build_report", "sweep_stale_builds", "notify_ready", "build_annual_reports",
    "send_monthly_digest", "audited", "check_usable", "refresh_statuses", "may_recall", "check_can_accede",
    # Staff calendar feeds: a hash, and a calendar program's fetch (its "last used" stamp is bookkeeping).
    "hash_token", "open_calendar_feed",
    # Core Group records (issue 18): the co-lead and period checks, and the daily reminders (the outbox).
    "check_co_leads", "check_period", "send_action_item_reminders",
}


def test_every_service_that_changes_something_is_audited():
    # A package's functions live in its modules: each is listed above, none is missed.
    assert {name for name, _fn in inspect.getmembers(pledge_services, inspect.isfunction)} <= {
        name for module in (pledge_invitations, pledge_workflow, pledge_reports)
        for name, _fn in inspect.getmembers(module, inspect.isfunction) if _fn.__module__ == module.__name__
    }
    unaudited = []
    for module in SERVICE_MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__ or name in NOT_ACTIONS:
                continue
            if not hasattr(fn, "audited_action"):
                unaudited.append(f"{module.__name__}.{name}")
    assert unaudited == []


def test_a_notice_records_who_gave_it_and_what_changed():
    staff = StaffFactory()
    membership = member("KZ", since=date(2024, 3, 1))
    member_services.give_notice(membership=membership, received_on=date(2025, 1, 10), by=staff)
    entry = Action.objects.get(action="membership.notice_given")
    assert entry.user == staff and entry.job == "" and entry.country.iso2 == "KZ"
    assert entry.about == membership
    assert entry.changes["ends_on"] == [None, "2029-03-01"]
    # The history of the row names the same person, with nobody setting it by hand.
    assert Membership.objects.get().history.first().history_user == staff


def test_a_refused_action_leaves_no_entry():
    membership = member("KZ", since=date(2024, 3, 1))
    before = Action.objects.count()
    with pytest.raises(ValidationError):
        member_services.give_notice(membership=membership, received_on=date(2020, 1, 1), by=StaffFactory())
    assert Action.objects.count() == before


@pytest.mark.parametrize("name", ["pledge", "event", "seat", "report"])
def test_actions_across_the_apps_name_their_actor(name):
    staff = StaffFactory()
    kz = member("KZ", since=timezone.localdate() - timedelta(days=365)).country
    if name == "pledge":
        fp = UserFactory()
        pledge_services.add_focal_point(country=kz, user=fp, by=staff)
        pledge = fill(pledge_services.start_pledge(country=kz, by=fp), fp)
        pledge_services.submit_pledge(pledge=pledge, by=fp)
        entry = Action.objects.get(action="pledge.submitted")
        assert entry.user == fp and entry.changes["status"] == ["draft", "submitted"]
        assert Action.objects.get(action="focal_point.added").user == staff
    elif name == "event":
        # Services without a ``by`` take the actor from the context (the request's user, in the site).
        with audit.acting(user=staff):
            event = make_event()
            event_services.register(event=event, name="A", email="a@example.org")
        assert Action.objects.get(action="event.created").user == staff
        assert Action.objects.get(action="registration.created").user == staff
    elif name == "seat":
        core_group.grant_seat(country=kz, start=timezone.localdate(), by=staff)
        entry = Action.objects.get(action="seat.granted")
        assert entry.user == staff and entry.country == kz
    else:
        report_services.request_report(kind="annual", year=2025, language="en", by=staff, enqueue=False)
        assert Action.objects.get(action="report.requested").user == staff


def test_a_scheduled_job_names_itself():
    from members.tasks import run_daily_membership_jobs

    with time_machine.travel(date(2024, 6, 1), tick=False):
        member("KZ", since=date(2020, 3, 1))
    with time_machine.travel(date(2025, 3, 2), tick=False):
        run_daily_membership_jobs.apply()
    entry = Action.objects.get(action="membership.renewed")
    assert entry.user is None and entry.job == "members.tasks.run_daily_membership_jobs"
    assert entry.changes["expires_on"] == ["2025-03-01", "2030-03-01"]


def test_the_admin_records_the_signed_in_officer(client):
    staff = StaffFactory()
    client.force_login(staff)
    from tests.members.test_admin import letter_form

    response = client.post(reverse("admin:members_letterofinterest_add"), letter_form())
    assert response.status_code == 302
    assert Action.objects.get(action="letter.recorded").user == staff


def test_the_activity_page_lists_filters_and_reads_well(client):
    staff = StaffFactory()
    membership = member("KZ", since=date(2024, 3, 1))
    member("FR", since=date(2024, 3, 1))
    member_services.give_notice(membership=membership, received_on=date(2025, 1, 10), by=staff)
    client.force_login(staff)
    page = client.get(reverse("admin:coalition_action_changelist"), {"country__id__exact": membership.country_id})
    shown = list(page.context["cl"].result_list)
    assert page.status_code == 200 and "membership.notice_given" in {a.action for a in shown}
    assert {a.country.iso2 for a in shown} == {"KZ"}
    entry = Action.objects.get(action="membership.notice_given")
    detail = client.get(reverse("admin:coalition_action_change", args=[entry.pk])).content.decode()
    assert "1 Mar 2029" in detail and "membership ends" in detail and "pk=None" not in detail
    # Each object's page links to its own entries.
    own = client.get(reverse("admin:members_membership_change", args=[membership.pk])).content.decode()
    assert "object_id=%s" % membership.pk in own.replace("&amp;", "&")
    listed = client.get(reverse("admin:coalition_action_changelist") + own.split('href="/en/admin/coalition/action/')[1]
                        .split('"')[0].replace("&amp;", "&"))
    assert listed.status_code == 200 and "membership.notice_given" in listed.content.decode()
    # Read-only for everyone.
    assert client.post(reverse("admin:coalition_action_change", args=[entry.pk]), {}).status_code == 403


def test_no_import_cycle_between_audit_and_the_apps():
    # coalition.audit is imported by every models module; it must import none of them at load time.
    source = inspect.getsource(importlib.import_module("coalition.audit"))
    top = [line for line in source.splitlines() if line.startswith(("from ", "import "))]
    assert not [line for line in top if any(app in line for app in ("members", "pledges", "events", "reports"))]


def test_the_activity_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    staff = StaffFactory()
    client.force_login(staff)
    url = reverse("admin:coalition_action_changelist")
    for iso2 in ["KZ", "FR"]:
        member(iso2, since=date(2024, 3, 1))
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for iso2 in ["DE", "GH", "SN", "BR", "TH", "CI"]:
        member(iso2, since=date(2024, 3, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
