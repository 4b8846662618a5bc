"""A world with public and private data of every kind the API could show (helpers ``populate``, ``grow``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from members.models import Country

# Strings that must never appear in any answer of the API.
SECRETS = [
    "contact@kz.example.org", "contact@fr.example.org", "Contact Person", "fp.kz@example.org", "fp.fr@example.org",
    "Draft pledge of Kazakhstan", "Members' workshop", "Core Group annual meeting", "meet.example.org",
    "Members-only guide", "Unsent news", "Private news", "subscriber@example.org", "MFA/1", "Scanned notice note",
]


@dataclass
class World:
    kz: object = None
    fr: object = None
    de: object = None
    pledge: object = None
    draft: object = None
    open_event: object = None
    past_event: object = None
    news: object = None
    resource: object = None
    champion: object = None


def populate() -> World:
    """Kazakhstan (Core Group, a champion, a draft pledge), France (published pledge with a report),
    Germany (a former member); events, announcements and library items, public and not."""
    from announcements import services as announcement_services
    from announcements.models import Announcement, Subscriber
    from events import services as event_services
    from events.models import Kind
    from members import services as member_services
    from members.models import Champion, ChampionCommitment
    from pledges import services as pledge_services
    from tests.factories import StaffFactory, UserFactory, member
    from tests.library.conftest import make_resource
    from tests.pledges.conftest import fill, publish_with_report

    w = World()
    today = timezone.localdate()
    since = today - timedelta(days=400)
    kz = member("KZ", since=since)
    fr = member("FR", since=since)
    de = member("DE", since=today - timedelta(days=6 * 365))
    w.kz, w.fr, w.de = kz.country, fr.country, de.country
    member_services.give_notice(membership=de, received_on=de.started_on + timedelta(days=30), note="Scanned notice note")
    member_services.renew_due_memberships(today=today)
    member_services.give_notice(membership=fr, received_on=today, reference="MFA/1")
    member_services.grant_seat(country=w.kz, start=since)
    staff = StaffFactory(email="staff@example.org")
    fp_kz = UserFactory(email="fp.kz@example.org")
    fp_fr = UserFactory(email="fp.fr@example.org")
    pledge_services.add_focal_point(country=w.kz, user=fp_kz)
    pledge_services.add_focal_point(country=w.fr, user=fp_fr)
    w.draft = fill(pledge_services.start_pledge(country=w.kz, by=fp_kz), fp_kz, title="Draft pledge of Kazakhstan")
    w.pledge, _report = publish_with_report(w.fr, fp_fr, staff)

    w.champion = Champion.objects.create(name="H.E. Example", title_en="Minister of Health",
                                         title_fr="Ministre de la Santé", country=w.kz)
    ChampionCommitment.objects.create(champion=w.champion, start=today - timedelta(days=30),
                                      end=today + timedelta(days=700))

    start = timezone.now() + timedelta(days=20)
    w.open_event = event_services.create_event(title="WHA side event", kind=Kind.GLOBAL, starts_at=start,
                                               ends_at=start + timedelta(hours=2), timezone="Europe/Zurich",
                                               venue="Geneva", online_url="https://meet.example.org/public-room",
                                               capacity=50)
    past = timezone.now() - timedelta(days=40)
    w.past_event = event_services.create_event(title="Webinar on PHC financing", kind=Kind.WEBINAR, starts_at=past,
                                               ends_at=past + timedelta(hours=1), timezone="UTC",
                                               online_url="https://meet.example.org/webinar")
    event_services.create_event(title="Members' workshop", kind=Kind.WEBINAR, public=False, starts_at=start,
                                ends_at=start + timedelta(hours=2), timezone="UTC", venue="Geneva")
    event_services.create_event(title="Core Group annual meeting", kind=Kind.CORE_GROUP, public=False,
                                starts_at=start, ends_at=start + timedelta(hours=6), timezone="UTC", venue="Astana")

    Subscriber.objects.create(email="subscriber@example.org", language="en", status="confirmed",
                              confirmed_at=timezone.now())
    w.news = announcement_services.save_draft(announcement=Announcement(
        title_en="Coalition news", body_en="Kazakhstan hosts the annual meeting.", title_fr="Nouvelles",
        body_fr="Le Kazakhstan accueille la réunion annuelle.", languages=["en", "fr"], audiences=["subscribers"],
        public=True))
    announcement_services.send(announcement=w.news)
    private = announcement_services.save_draft(announcement=Announcement(
        title_en="Private news", body_en="For focal points.", languages=["en"], audiences=["focal_points"]))
    announcement_services.send(announcement=private)
    announcement_services.save_draft(announcement=Announcement(
        title_en="Unsent news", body_en="Not yet.", languages=["en"], audiences=["subscribers"], public=True))

    w.resource = make_resource(title="Primary care in practice", countries=[w.kz], levers=["workforce"],
                               published_on=date(2025, 5, 1))
    make_resource(title="Members-only guide", members_only=True, published_on=date(2025, 6, 1))
    return w


def grow(n: int) -> None:
    """``n`` more of everything that is listed (members with published pledges, events, news, resources)."""
    from announcements import services as announcement_services
    from announcements.models import Announcement
    from events import services as event_services
    from events.models import Kind
    from tests.factories import StaffFactory, UserFactory, member
    from tests.library.conftest import make_resource
    from tests.pledges.conftest import publish_with_report

    staff = StaffFactory()
    taken = set(Country.objects.filter(memberships__isnull=False).values_list("iso2", flat=True))
    countries = list(Country.objects.exclude(iso2__in=taken).order_by("iso2")[:n])
    since = timezone.localdate() - timedelta(days=400)
    for country in countries:
        member(country.iso2, since=since)
        focal_point = UserFactory()
        from pledges import services as pledge_services

        pledge_services.add_focal_point(country=country, user=focal_point)
        publish_with_report(country, focal_point, staff)
        start = timezone.now() + timedelta(days=10)
        event_services.create_event(title=f"Workshop {country.iso3}", kind=Kind.GLOBAL, starts_at=start,
                                    ends_at=start + timedelta(hours=1), timezone="UTC", venue="Geneva")
        news = announcement_services.save_draft(announcement=Announcement(
            title_en=f"News {country.iso3}", body_en="Text", languages=["en"], audiences=["subscribers"], public=True))
        announcement_services.send(announcement=news)
        make_resource(title=f"Case study {country.iso3}", countries=[country])


@pytest.fixture
def world(db, settings):
    settings.API_RATE_PER_IP = "100000/m"
    return populate()
