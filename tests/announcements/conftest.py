from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from announcements import services
from announcements.models import Announcement, Subscriber
from coalition import mail
from events import services as event_services
from members import services as member_services
from members.models import Country
from pledges import services as pledge_services
from tests.events.conftest import make_event
from tests.factories import StaffFactory, UserFactory, member


def draft(*, by=None, events=(), **fields):
    """A draft announcement saved through the service (texts as title_en=…, body_en=…)."""
    fields.setdefault("original_language", "en")
    fields.setdefault("languages", [fields["original_language"]])
    fields.setdefault("audiences", ["focal_points"])
    for code in fields["languages"]:
        fields.setdefault(f"title_{code}", f"News [{code}]")
        fields.setdefault(f"body_{code}", f"The text [{code}].\n\nSecond paragraph [{code}].")
    announcement = services.save_draft(announcement=Announcement(**fields), by=by)
    if events:
        announcement.events.set(events)
    return announcement


def subscriber(email, language="en", status="confirmed"):
    now = timezone.now()
    return Subscriber.objects.create(
        email=email, language=language, status=status,
        confirmed_at=now if status == "confirmed" else None,
        unsubscribed_at=now if status == "unsubscribed" else None,
    )


class World:
    """Kazakhstan (Europe, Core Group), France (Europe), Ghana (Africa), Brazil (Americas); Germany left."""


@pytest.fixture
def world(db):
    w = World()
    since = timezone.localdate() - timedelta(days=400)
    for iso2 in ["KZ", "FR", "GH", "BR"]:
        member(iso2, since=since)
    w.kz, w.fr, w.gh, w.br = (Country.objects.get(iso2=c) for c in ["KZ", "FR", "GH", "BR"])
    member_services.grant_seat(country=w.kz, start=since)
    old = member("DE", since=timezone.localdate() - timedelta(days=6 * 365))
    w.fp = {}
    for key, country, language in [("kz", w.kz, "ru"), ("fr", w.fr, "fr"), ("gh", w.gh, "en"), ("br", w.br, "es"),
                                   ("de", old.country, "en")]:
        user = UserFactory(email=f"fp.{key}@example.org", language=language)
        pledge_services.add_focal_point(country=country, user=user)
        w.fp[key] = user
    # Germany leaves: its focal point speaks for nobody today and gets no announcement.
    member_services.give_notice(membership=old, received_on=old.started_on + timedelta(days=30))
    member_services.renew_due_memberships(today=timezone.localdate())
    w.staff = StaffFactory(email="officer@example.org")
    w.event = make_event(title="WHA side event", public=True, kind="global")
    # The Kazakh focal point registered for the event in English, with the address in capitals.
    event_services.register(event=w.event, name="KZ focal point", email="FP.KZ@example.org", language="en")
    event_services.register(event=w.event, name="Observer", email="observer@example.org", language="fr")
    cancelled = event_services.register(event=w.event, name="Gone", email="gone@example.org", language="en")
    event_services.cancel(registration=cancelled)
    # The registration e-mails are out of the way: tests see only what they send.
    mail.deliver_due()
    django_mail.outbox.clear()
    return w
