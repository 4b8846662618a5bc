"""Sending an announcement: one copy per person, in their language, once, through the outbox."""

import pytest
from django.core import mail as django_mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from announcements import selectors, services
from announcements.models import Announcement
from coalition import mail
from coalition.models import Action, OutgoingMail
from tests.announcements.conftest import draft, subscriber
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVERYONE = ["focal_points", "core_group", "event_registrants", "subscribers"]


def _announcement_mail():
    return OutgoingMail.objects.filter(kind="announcements/announcement")


def _sent_to():
    """{address: (subject, message)} of what reached the mail server, failing on any second copy."""
    out = {}
    for message in django_mail.outbox:
        (address,) = message.to
        assert address.lower() not in out, f"{address} got two copies"
        out[address.lower()] = (message.subject, message)
    return out


def test_overlapping_audiences_give_one_copy_per_person_in_their_language(world):
    subscriber("fp.kz@example.org", language="zh-hans")  # a focal point who also subscribed
    subscriber("reader@example.org", language="fr")
    subscriber("Arabic.Reader@example.org", language="ar")  # not a language the announcement is written in
    subscriber("pending@example.org", status="pending")
    subscriber("left@example.org", status="unsubscribed")
    announcement = draft(by=world.staff, languages=["en", "fr", "ru"], audiences=EVERYONE, events=[world.event])

    queued = services.send(announcement=announcement, by=world.staff)
    assert mail.deliver_due() == queued == 7

    got = _sent_to()
    assert {address: subject for address, (subject, _m) in got.items()} == {
        "fp.kz@example.org": "News [ru]",  # the focal point's language comes first, one copy though in 3 audiences
        "fp.fr@example.org": "News [fr]",
        "fp.gh@example.org": "News [en]",
        "fp.br@example.org": "News [en]",  # Spanish is not written: the original
        "observer@example.org": "News [fr]",
        "reader@example.org": "News [fr]",
        "arabic.reader@example.org": "News [en]",
    }
    assert "The text [ru]." in got["fp.kz@example.org"][1].body
    # Only people reached as subscribers alone can unsubscribe; the focal point would get it anyway.
    with_header = {a for a, (_s, m) in got.items() if "List-Unsubscribe" in m.extra_headers}
    assert with_header == {"reader@example.org", "arabic.reader@example.org"}
    assert "/fr/news/unsubscribe/" in got["reader@example.org"][1].body
    assert "unsubscribe" not in got["fp.kz@example.org"][1].body

    announcement.refresh_from_db()
    assert announcement.status == "sent" and announcement.sent_by == world.staff
    assert announcement.recipient_count == 7 and announcement.sent_at is not None
    entry = Action.objects.get(action="announcement.sent")
    assert entry.user == world.staff and entry.changes["status"] == ["draft", "sent"]


def test_the_delivered_message_carries_list_unsubscribe_headers(world):
    subscriber("reader@example.org", language="fr")
    services.send(announcement=draft(audiences=["subscribers"]), by=world.staff)
    mail.deliver_due()
    (message,) = django_mail.outbox
    raw = message.message()
    assert raw["List-Unsubscribe"].startswith("<http") and "/en/news/unsubscribe/" in raw["List-Unsubscribe"]
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row = _announcement_mail().get()
    assert row.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_sending_again_is_refused_and_could_never_duplicate(world):
    announcement = draft(audiences=["focal_points"])
    assert services.send(announcement=announcement, by=world.staff) == 4
    with pytest.raises(ValidationError, match="already sent"):
        services.send(announcement=announcement, by=world.staff)
    # Even were the status put back by hand, the outbox keys stop a second copy.
    Announcement.objects.filter(pk=announcement.pk).update(status="draft", sent_at=None, recipient_count=None)
    assert services.send(announcement=Announcement.objects.get(pk=announcement.pk), by=world.staff) == 0
    assert _announcement_mail().count() == 4
    mail.deliver_due()
    assert len(django_mail.outbox) == 4


def test_a_sent_announcement_cannot_be_edited(world):
    announcement = draft(audiences=["focal_points"])
    services.send(announcement=announcement, by=world.staff)
    announcement.title_en = "Changed afterwards"
    with pytest.raises(ValidationError, match="can no longer change"):
        services.save_draft(announcement=announcement, by=world.staff)
    assert Announcement.objects.get().title_en == "News [en]"


def test_every_language_chosen_must_be_written_before_sending(world):
    announcement = draft(languages=["en", "fr"], body_fr="", audiences=["focal_points"])
    with pytest.raises(ValidationError, match="missing: French"):
        services.send(announcement=announcement, by=world.staff)
    assert _announcement_mail().count() == 0
    assert Announcement.objects.get().status == "draft"
    assert not Action.objects.filter(action="announcement.sent").exists()


def test_the_original_language_must_be_among_the_languages(world):
    with pytest.raises(ValidationError) as error:
        draft(original_language="fr", languages=["en"], title_fr="Nouvelles")
    assert "languages" in error.value.message_dict


def test_region_and_core_group_audiences(world):
    europe = selectors.recipients(draft(audiences=["region_focal_points"], regions=["EUR"]))
    assert [r.email for r in europe] == ["fp.fr@example.org", "fp.kz@example.org"]  # not Germany's: it left
    core = selectors.recipients(draft(audiences=["core_group"]))
    assert [(r.email, r.language) for r in core] == [("fp.kz@example.org", "en")]  # Russian is not written
    with pytest.raises(ValidationError):
        draft(audiences=["region_focal_points"], regions=[])


def test_event_registrants_need_an_event(world):
    announcement = draft(audiences=["event_registrants"])
    with pytest.raises(ValidationError, match="at least one event"):
        services.send(announcement=announcement, by=world.staff)
    announcement.events.set([world.event])
    # Registrations not cancelled; each address once.
    assert [r.email for r in selectors.recipients(announcement)] == ["FP.KZ@example.org", "observer@example.org"]


def test_summary_counts_per_audience_in_all_and_per_language(world):
    subscriber("reader@example.org", language="fr")
    announcement = draft(languages=["en", "fr"], audiences=EVERYONE, events=[world.event])
    summary = selectors.summary(announcement)
    assert [(row["audience"], row["count"]) for row in summary["audiences"]] == [
        ("focal_points", 4), ("core_group", 1), ("event_registrants", 2), ("subscribers", 1)]
    assert summary["total"] == 6
    assert [(row["code"], row["count"]) for row in summary["languages"]] == [("en", 3), ("fr", 3)]


def test_choosing_recipients_takes_the_same_queries_for_many_people(world):
    announcement = draft(audiences=EVERYONE, regions=["EUR"], events=[world.event])
    announcement.audiences = [*EVERYONE, "region_focal_points"]
    announcement.save()

    def count():
        with CaptureQueriesContext(connection) as queries:
            people = selectors.recipients(announcement)
        return len(queries), len(people)

    few, few_people = count()
    from events import services as event_services
    from pledges import services as pledge_services

    for n in range(15):
        subscriber(f"many{n}@example.org", language="fr")
        event_services.register(event=world.event, name=f"Guest {n}", email=f"guest{n}@example.org")
    for n in range(3):
        pledge_services.add_focal_point(country=world.fr, user=UserFactory(email=f"fp.fr{n}@example.org"))
    many, many_people = count()
    assert many_people == few_people + 33
    assert many == few <= 5
