"""The Today page (the admin index): each box shows the work waiting, with links; a fixed number of queries."""

from datetime import date, datetime
from datetime import timezone as dt_timezone

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition.models import OutgoingMail
from events import services as event_services
from members import core_group
from members import services as member_services
from members.models import Country
from pledges import services as pledge_services
from reports.models import Kind, ReportRequest
from secretariat import today as work
from tests.events.conftest import make_event
from tests.factories import StaffFactory, UserFactory, member
from tests.governance.conftest import make_item
from tests.pledges.conftest import fill

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 4)


@pytest.fixture(autouse=True)
def on_today():
    with time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=dt_timezone.utc), tick=False):
        yield


def country(iso2):
    return Country.objects.get(iso2=iso2)


def letter(iso2, received_on=date(2026, 11, 20)):
    return member_services.record_letter(country=country(iso2), received_on=received_on, contact_name="Dr Contact",
                                         contact_email=f"contact@{iso2.lower()}.example.org")


def failed_mail(n):
    return OutgoingMail.objects.create(key=f"test:failed:{n}", kind="test", to=[f"refused{n}@example.org"],
                                       subject=f"Refused {n}", body="x", status=OutgoingMail.Status.FAILED,
                                       last_error="SMTPRecipientsRefused")


def submitted_pledge(iso2):
    focal_point = UserFactory()
    pledge_services.add_focal_point(country=country(iso2), user=focal_point)
    pledge = pledge_services.start_pledge(country=country(iso2), by=focal_point)
    fill(pledge, focal_point)
    return pledge_services.submit_pledge(pledge=pledge, by=focal_point)


def a_day_of_work():
    """Something in every box."""
    letter("GH")
    member("SN", since=date(2022, 7, 1))  # first term ends 1 Jul 2027: notice deadline 1 Jan 2027
    member("UZ", since=date(2022, 1, 15))  # first term ends 15 Jan 2027: renews
    member("KZ", since=date(2023, 6, 1))
    fr = member("FR", since=date(2024, 3, 1))
    member_services.give_notice(membership=fr, received_on=date(2026, 12, 1))
    core_group.grant_seat(country=country("UZ"), start=date(2024, 1, 20))  # three years: ends 20 Jan 2027
    submitted_pledge("KZ")
    failed_mail(0)
    ReportRequest.objects.create(kind=Kind.ANNUAL, year=2025, status=ReportRequest.Status.FAILED,
                                 failure_reason="WeasyPrint ran out of memory")
    event = make_event(title="Thematic workshop", starts_at=datetime(2026, 12, 14, 9, tzinfo=dt_timezone.utc),
                       capacity=1)
    event_services.register(event=event, name="First", email="first@example.org")
    event_services.register(event=event, name="Second", email="second@example.org")
    make_item(owner_country=country("KZ"), description="Host the knowledge exchange", due_on=date(2026, 12, 10))


def boxes():
    return {box.key: box for box in work.work_queue(today=TODAY)}


def titles(box):
    return [row.title for row in box.rows]


def test_each_box_lists_the_work_waiting(settings):
    a_day_of_work()
    got = boxes()
    assert titles(got["letters"]) == ["Ghana"]
    assert titles(got["notices"]) == ["France"]
    assert got["notices"].rows[0].detail == "membership ends on 1 Mar 2029"
    assert [(r.title, r.when) for r in got["deadlines"].rows] == [("Senegal", date(2027, 1, 1))]
    assert [(r.title, r.when) for r in got["terms"].rows] == [("Uzbekistan", date(2027, 1, 15))]
    assert [(r.title, r.when) for r in got["seats"].rows] == [("Uzbekistan", date(2027, 1, 20))]
    assert titles(got["review"]) == ["Kazakhstan"]
    assert titles(got["mail"]) == ["refused0@example.org"] and got["mail"].urgent
    assert got["reports"].count == 1 and got["reports"].urgent
    assert titles(got["events"]) == ["Thematic workshop"]
    assert got["events"].rows[0].detail == "1 on the waiting list"
    assert [(r.title, r.when, r.detail) for r in got["action_items"].rows] == [
        ("Kazakhstan: Host the knowledge exchange", date(2026, 12, 10), "due")]


def test_failures_come_first_and_quiet_boxes_say_so():
    assert [b.key for b in work.work_queue(today=TODAY)][-2:] == ["mail", "reports"]
    failed_mail(9)
    assert work.work_queue(today=TODAY)[0].key == "mail"
    assert boxes()["letters"].rows == [] and boxes()["letters"].empty


def test_a_box_shows_its_first_rows_and_counts_the_rest():
    for n in range(work.SHOWN + 3):
        failed_mail(n)
    box = boxes()["mail"]
    assert len(box.rows) == work.SHOWN and box.count == work.SHOWN + 3 and box.hidden == 3


def test_deadline_falls_out_once_notice_is_given():
    sn = member("SN", since=date(2022, 7, 1))
    assert titles(boxes()["deadlines"]) == ["Senegal"]
    member_services.give_notice(membership=sn, received_on=TODAY)
    assert boxes()["deadlines"].rows == []
    assert [(r.title, r.detail) for r in boxes()["notices"].rows] == [("Senegal", "membership ends on 1 Jul 2027")]


def _index_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response, len(queries)


def test_the_page_takes_a_fixed_number_of_queries(client):
    staff = StaffFactory()
    client.force_login(staff)
    a_day_of_work()
    _index_queries(client)  # warms the per-process caches (content types, sessions)
    response, few = _index_queries(client)
    a_day_of_work_more()
    response, many = _index_queries(client)
    assert many == few, f"{few} queries with one row per box, {many} with more"
    page = response.content.decode()
    assert 'id="today-letters"' in page and "Ghana" in page and "Tajikistan" in page
    assert reverse("admin:members_membership_calendar") in page
    assert reverse("admin:members_coregroup_rotation") in page
    assert reverse("admin:coalition_action_changelist") in page
    assert reverse("representativeness:page") in page


def a_day_of_work_more():
    for n, iso2 in enumerate(["TJ", "KG", "MN"]):
        letter(iso2)
        failed_mail(n + 1)
        member(["AM", "GE", "AZ"][n], since=date(2022, 1, 15))
    submitted_pledge("SN")
    submitted_pledge("UZ")
    event = make_event(title="Second workshop", starts_at=datetime(2026, 12, 20, 9, tzinfo=dt_timezone.utc))
    event_services.register(event=event, name="Third", email="third@example.org")
    make_item(owner_country=None, description="Book the room", due_on=date(2026, 11, 30))
    make_item(owner_country=country("SN"), description="Send the survey", due_on=date(2026, 12, 18))


def test_the_today_page_is_the_secretariats(client):
    a_day_of_work()
    other_staff = StaffFactory(secretariat=False)
    other_staff.groups.clear()
    client.force_login(other_staff)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="today-letters"' not in page
    client.force_login(StaffFactory())
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="today-letters"' in page


def test_the_today_page_speaks_the_readers_language(client):
    a_day_of_work()
    client.force_login(StaffFactory())
    page = client.get("/fr/admin/").content.decode()
    assert "Lettres d&#x27;intérêt en attente de décision" in page
    assert "Sénégal" in page and "1 janvier 2027" in page
