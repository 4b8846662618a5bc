"""The Secretariat's private calendar feed: what it holds, who may fetch it, and how it is revoked."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts import services
from accounts.models import CalendarFeed
from accounts.roles import SECRETARIAT_GROUP
from coalition.models import Action
from events.models import Kind
from members import core_group
from members import services as member_services
from pledges import services as pledge_services
from tests.events.conftest import make_event
from tests.factories import StaffFactory, UserFactory, member
from tests.pledges.conftest import make_focal_point, publish, publish_with_report

pytestmark = pytest.mark.django_db


def _staff(**fields):
    user = StaffFactory(**fields)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def _url(token):
    return reverse("staff_calendar_feed:feed", args=[token])


def _items(response) -> dict:
    assert response.status_code == 200
    return {str(v["UID"]): v for v in Calendar.from_ical(response.content).walk("VEVENT")}


@pytest.fixture
def world(db):
    """Three members three years into their first term (ends in two years): KZ, FR, DE; DE gave notice."""
    today = timezone.localdate()
    since = today - timedelta(days=3 * 365)
    w = type("World", (), {})()
    w.kz = member("KZ", since=since)
    w.fr = member("FR", since=since)
    w.de = member("DE", since=since)
    member_services.give_notice(membership=w.de, received_on=today)
    w.seat = core_group.grant_seat(country=w.fr.country, start=today - timedelta(days=100))
    core_group.grant_seat(country=w.kz.country, start=today - timedelta(days=100))  # permanent: never ends
    staff = StaffFactory()
    fps = {c: make_focal_point(m.country) for c, m in (("kz", w.kz), ("fr", w.fr), ("de", w.de))}
    # KZ filed its first report; FR started its own (a draft); DE has not started.
    w.kz_pledge, w.kz_report = publish_with_report(w.kz.country, fps["kz"], staff)
    w.fr_pledge = publish(w.fr.country, fps["fr"], staff)
    w.fr_draft = pledge_services.start_progress_report(pledge=w.fr_pledge, by=fps["fr"])
    w.de_pledge = publish(w.de.country, fps["de"], staff)
    w.public = make_event(title="WHA side event", title_fr="Événement parallèle de l'AMS", kind=Kind.GLOBAL,
                          timezone="Europe/Zurich", venue="Geneva", online_url="")
    w.closed = make_event(title="Core Group annual meeting", kind=Kind.CORE_GROUP, public=False, timezone="Asia/Almaty")
    return w


def test_the_feed_holds_the_secretariats_dates_in_the_owners_language(client, world):
    owner = _staff(language="fr")
    feed = services.issue_calendar_feed(user=owner, by=owner)
    client.logout()

    response = client.get(_url(feed.token))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    assert not response.cookies
    items = _items(response)
    kz, de = world.kz, world.de
    # Renewals, the deadline before them, and Germany's termination (it gave notice): whole days.
    renewal = items[f"membership-{kz.pk}-term-end-{kz.expires_on.isoformat()}@127.0.0.1"]
    assert renewal.decoded("DTSTART") == kz.expires_on
    assert "Kazakhstan" in str(renewal["SUMMARY"])
    assert f"/fr/admin/members/membership/{kz.pk}/" in str(renewal["URL"])
    deadline = f"membership-{kz.pk}-notice-deadline-{kz.notice_deadline.isoformat()}@127.0.0.1"
    assert items[deadline].decoded("DTSTART") == kz.notice_deadline
    de.refresh_from_db()
    ending = items[f"membership-{de.pk}-term-end-{de.ends_on.isoformat()}@127.0.0.1"]
    # Country names in the owner's language.
    assert "Allemagne" in str(ending["SUMMARY"])
    assert not any(uid.startswith(f"membership-{de.pk}-notice-deadline") for uid in items)
    # Core Group seat ends (not Kazakhstan's permanent seat).
    seat = items[f"core-group-seat-{world.seat.pk}-end@127.0.0.1"]
    assert seat.decoded("DTSTART") == world.seat.end
    assert sum(uid.startswith("core-group-seat-") for uid in items) == 1
    # Reports due: France's draft (its own date, a link to it), Germany's not started (a link to the pledge);
    # Kazakhstan's first one is filed.
    draft = items[f"progress-report-{world.fr_pledge.pk}-{world.fr_draft.year}@127.0.0.1"]
    assert draft.decoded("DTSTART") == world.fr_draft.due_on
    assert f"/admin/pledges/progressreport/{world.fr_draft.pk}/" in str(draft["URL"])
    de_report = [v for uid, v in items.items() if uid.startswith(f"progress-report-{world.de_pledge.pk}-")]
    assert de_report and f"/admin/pledges/pledge/{world.de_pledge.pk}/" in str(de_report[0]["URL"])
    assert f"progress-report-{world.kz_pledge.pk}-{world.kz_report.year}@127.0.0.1" not in items
    # Every event, closed ones too, at local times in their zone, titled in the owner's language.
    public = items[f"event-{world.public.pk}@127.0.0.1"]
    assert str(public["SUMMARY"]) == "Événement parallèle de l'AMS"
    assert public["DTSTART"].params["TZID"] == "Europe/Zurich"
    assert public.decoded("DTSTART") == world.public.starts_at
    assert f"/fr/admin/events/event/{world.public.pk}/" in str(public["URL"])
    closed = items[f"event-{world.closed.pk}@127.0.0.1"]
    assert closed["DTSTART"].params["TZID"] == "Asia/Almaty"
    # No online link in a feed anyone holding the URL may read.
    assert "meet.example.org" not in response.content.decode()


def test_items_keep_their_uid_when_their_dates_change(client, world):
    owner = _staff()
    feed = services.issue_calendar_feed(user=owner, by=owner)
    before = _items(client.get(_url(feed.token)))
    core_group.end_seat(seat=world.seat, on=timezone.localdate() + timedelta(days=30))

    after = _items(client.get(_url(feed.token)))

    uid = f"core-group-seat-{world.seat.pk}-end@127.0.0.1"
    assert before[uid].decoded("DTSTART") != after[uid].decoded("DTSTART") == timezone.localdate() + timedelta(days=30)
    assert set(before) == set(after)


def test_a_new_url_stops_the_old_one_at_once_and_a_revoked_url_is_not_found(client):
    owner = _staff()
    first = services.issue_calendar_feed(user=owner, by=owner)
    assert client.get(_url(first.token)).status_code == 200

    second = services.issue_calendar_feed(user=owner, by=owner)

    assert client.get(_url(first.token)).status_code == 404
    assert client.get(_url(second.token)).status_code == 200
    services.revoke_calendar_feed(feed=second, by=owner)
    assert client.get(_url(second.token)).status_code == 404
    assert list(Action.objects.filter(user=owner).values_list("action", flat=True).order_by("pk")) == [
        "calendar_feed.issued", "calendar_feed.issued", "calendar_feed.revoked"]


def test_only_a_hash_of_the_secret_is_stored(client):
    owner = _staff()
    feed = services.issue_calendar_feed(user=owner, by=owner)
    row = CalendarFeed.objects.values().get()
    assert feed.token not in repr(row) and row["token_hash"] == services.hash_token(feed.token)
    assert len(feed.token) >= 40


@pytest.mark.parametrize("change", ["left_the_secretariat", "inactive", "lost_two_factor"])
def test_a_person_who_may_no_longer_hold_a_feed_has_none(client, settings, change):
    settings.STAFF_REQUIRE_2FA = True
    owner = _staff()
    feed = services.issue_calendar_feed(user=owner, by=owner)
    if change == "left_the_secretariat":
        owner.groups.remove(Group.objects.get(name=SECRETARIAT_GROUP))
    elif change == "inactive":
        owner.is_active = False
        owner.save()
    else:
        Authenticator.objects.filter(user=owner).delete()
    assert client.get(_url(feed.token)).status_code == 404


@pytest.mark.parametrize("token", ["unknown", "x" * 43, "a" * 500])
def test_an_unknown_token_is_not_found(client, token):
    _staff()
    assert client.get(_url(token)).status_code == 404


def test_only_the_secretariat_gets_a_feed():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.issue_calendar_feed(user=UserFactory(is_staff=True))
    assert not CalendarFeed.objects.exists()


def test_a_fetch_stamps_the_last_use(client):
    owner = _staff()
    feed = services.issue_calendar_feed(user=owner, by=owner)
    client.get(_url(feed.token))
    assert CalendarFeed.objects.get().last_used_at is not None


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_feed_costs_the_same_number_of_queries_however_much_it_holds(client, world):
    owner = _staff()
    feed = services.issue_calendar_feed(user=owner, by=owner)
    small = _count(client, _url(feed.token))
    # More of everything: members with deadlines, a seat, published pledges, events.
    since = timezone.localdate() - timedelta(days=3 * 365)
    staff = StaffFactory()
    for iso2 in ("SN", "TH", "BR"):
        m = member(iso2, since=since)
        core_group.grant_seat(country=m.country, start=timezone.localdate() - timedelta(days=10))
        publish(m.country, make_focal_point(m.country), staff)
        make_event(title=f"Meeting {iso2}", public=False)

    assert _count(client, _url(feed.token)) == small <= 12


def test_the_page_shows_a_new_url_once_and_revokes_it(client):
    owner = _staff()
    client.force_login(owner)
    page = reverse("staff_calendar:manage")
    assert "You have no calendar address" in client.get(page).content.decode()

    response = client.post(reverse("staff_calendar:regenerate"))

    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    url = response.context["url"]
    assert url.startswith("http") and url.endswith(".ics") and url in response.content.decode()
    client.logout()
    assert client.get(url.split("127.0.0.1:8000", 1)[-1]).status_code == 200
    client.force_login(owner)
    again = client.get(page).content.decode()
    assert url not in again and "Revoke my calendar address" in again

    response = client.post(reverse("staff_calendar:revoke"), follow=True)

    assert "no longer works" in response.content.decode()
    client.logout()
    assert client.get(url.split("127.0.0.1:8000", 1)[-1]).status_code == 404


def test_the_admin_links_to_the_page_for_the_secretariat_only(client):
    client.force_login(_staff())
    assert reverse("staff_calendar:manage") in client.get(reverse("admin:index")).content.decode()
    other = UserFactory(is_staff=True)
    Authenticator.objects.create(user=other, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(other)
    assert reverse("staff_calendar:manage") not in client.get(reverse("admin:index")).content.decode()
