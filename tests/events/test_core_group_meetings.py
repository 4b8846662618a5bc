"""Core Group meetings with real seats and real focal points (no stand-ins)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Kind
from members import services as member_services
from members.models import Country
from pledges import services as pledge_services
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def focal_point_of(iso2):
    user = UserFactory()
    pledge_services.add_focal_point(country=Country.objects.get(iso2=iso2), user=user)
    return user


def test_core_group_meeting_is_seen_by_seated_countries_and_staff_only(client, staff):
    since = timezone.localdate() - timedelta(days=400)
    member("KZ", since=since)
    member("FR", since=since)
    member_services.grant_seat(country=Country.objects.get(iso2="KZ"), start=since)
    starts = timezone.now() + timedelta(days=20)
    meeting = services.create_event(title="Astana strategy retreat", kind=Kind.CORE_GROUP, starts_at=starts,
                                    ends_at=starts + timedelta(hours=3), timezone="Asia/Almaty", public=False,
                                    venue="Ministry of Health, Astana")
    url = reverse("events:detail", args=[meeting.pk])
    ics = f"/events/{meeting.pk}/event.ics"

    assert client.get(url)["Location"].startswith(reverse("account_login"))
    assert client.get(ics).status_code == 404
    assert "Astana strategy retreat" not in client.get(reverse("events:list")).content.decode()

    client.force_login(focal_point_of("FR"))
    assert client.get(url).status_code == 404

    client.force_login(focal_point_of("KZ"))
    assert client.get(url).status_code == 200
    assert client.get(ics).status_code == 200

    client.force_login(staff)
    assert client.get(url).status_code == 200
