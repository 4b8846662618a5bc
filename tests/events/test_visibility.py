"""Who sees which event: every page and feed, both ways."""

import pytest

from events import selectors
from events.models import Kind
from tests.events.conftest import make_event
from tests.factories import StaffFactory, UserFactory
from tests.outcomes import outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    return {
        "public": make_event(title="Public webinar"),
        "members": make_event(title="Members-only webinar", public=False),
        "core": make_event(title="Core Group meeting in Astana", kind=Kind.CORE_GROUP, venue="Astana"),
    }


@pytest.fixture
def people(focal_points, core_group, kz, fr):
    core_member, other_member = UserFactory(), UserFactory()
    focal_points[core_member] = [kz]
    focal_points[other_member] = [fr]
    core_group.append(kz)
    return {"anonymous": None, "plain user": UserFactory(), "other member": other_member,
            "core member": core_member, "staff": StaffFactory()}


EXPECTED = {
    "anonymous": {"public"},
    "plain user": {"public"},
    "other member": {"public", "members"},
    "core member": {"public", "members", "core"},
    "staff": {"public", "members", "core"},
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_pages_and_feeds_show_each_person_what_they_may_see(client, events, people, who):
    if people[who] is not None:
        client.force_login(people[who])
    listing = client.get("/en/events/").content.decode()
    for key, event in events.items():
        visible = key in EXPECTED[who]
        assert (event.title in listing) is visible, key
        refused = "login" if people[who] is None else 404
        assert outcome(client.get(f"/en/events/{event.pk}/")) == (200 if visible else refused), key
        assert client.get(f"/events/{event.pk}/event.ics").status_code == (200 if visible else 404), key
    # The public feed is for public events, whoever asks.
    assert b"Core Group meeting in Astana" not in client.get("/events/feed.ics").content


def test_a_former_core_group_country_still_sees_the_meetings_it_held_a_seat_for(
    client, monkeypatch, focal_points, kz,
):
    from datetime import timedelta

    from django.utils import timezone

    past = make_event(kind=Kind.CORE_GROUP, title="Last year's meeting",
                      starts_at=timezone.now() - timedelta(days=300))
    upcoming = make_event(kind=Kind.CORE_GROUP, title="This year's meeting")
    seat_day = past.local_starts_at.date()
    monkeypatch.setattr("members.selectors.core_group_on", lambda day: [kz] if day == seat_day else [])
    member = UserFactory()
    focal_points[member] = [kz]
    assert set(selectors.visible_events(member)) == {past}
    client.force_login(member)
    assert client.get(f"/en/events/{upcoming.pk}/").status_code == 404
    assert client.get(f"/en/events/{past.pk}/").status_code == 200


def test_the_public_cannot_post_to_a_closed_event(client, events):
    response = client.post(f"/en/events/{events['core'].pk}/", {"reg-name": "X", "reg-email": "x@example.org"})
    assert outcome(response) == "login"
    assert not events["core"].registrations.exists()
