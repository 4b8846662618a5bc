from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from members import services as member_services
from members.models import Membership
from pledges import services
from pledges.diff import diff_snapshots
from pledges.models import Commitment, FocalPoint, Pledge, PledgeVersion
from tests.pledges.conftest import COMMITMENTS, fill, indicator, make_focal_point

pytestmark = pytest.mark.django_db


def test_start_pledge_opens_a_draft_for_the_current_term(kz, kz_fp):
    pledge = services.start_pledge(country=kz, by=kz_fp)
    membership = Membership.objects.get(country=kz)
    assert pledge.status == Pledge.Status.DRAFT
    assert pledge.term == membership.terms.get(number=1)
    assert pledge.history.count() == 1 and pledge.history.first().history_user == kz_fp


def test_one_pledge_per_term(kz, kz_fp):
    pledge = services.start_pledge(country=kz, by=kz_fp)
    with pytest.raises(ValidationError, match="already has a pledge"):
        services.start_pledge(country=kz, by=kz_fp)
    # The database refuses a second pledge for the term even if the service is bypassed.
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(country=kz, membership=pledge.membership, term=pledge.term)


def test_only_the_countrys_focal_points_start_a_pledge(kz, fr_fp, secretariat, user):
    for person in (fr_fp, secretariat, user):
        with pytest.raises(ValidationError, match="focal point of Kazakhstan"):
            services.start_pledge(country=kz, by=person)
    assert not Pledge.objects.exists()


def test_a_new_term_starts_a_new_pledge_prefilled_from_the_last(kz, kz_fp, secretariat, time_machine):
    from tests.pledges.conftest import publish

    old = publish(kz, kz_fp, secretariat)
    membership = Membership.objects.get(country=kz)
    time_machine.move_to(membership.expires_on + timedelta(days=2))
    member_services.renew_due_memberships(today=timezone.localdate())
    new = services.start_pledge(country=kz, by=kz_fp)
    assert new.pk != old.pk and new.term.number == 2
    assert new.prefilled_from == old and new.title == old.title and new.status == Pledge.Status.DRAFT
    assert [c.description for c in new.commitments.all()] == [c["description"] for c in COMMITMENTS]
    assert set(old.commitments.values_list("pk", flat=True)).isdisjoint(new.commitments.values_list("pk", flat=True))


def test_a_draft_saves_incomplete_and_keeps_commitments_in_order(kz, kz_fp):
    pledge = services.start_pledge(country=kz, by=kz_fp)
    services.save_pledge_draft(pledge=pledge, by=kz_fp, title="", vision="", commitments=[{"description": "Only an idea"}])
    assert pledge.commitments.get().description == "Only an idea"
    first = pledge.commitments.get()
    services.save_pledge_draft(pledge=pledge, by=kz_fp, title="T", vision="V", commitments=[
        {"description": "New first"}, {"id": first.pk, "description": "Only an idea, refined"},
    ])
    assert list(pledge.commitments.values_list("description", "position")) == [("New first", 1), ("Only an idea, refined", 2)]
    services.save_pledge_draft(pledge=pledge, by=kz_fp, title="T", vision="V", commitments=[{"id": first.pk, "description": "x"}])
    assert list(pledge.commitments.values_list("pk", flat=True)) == [first.pk]
    assert first.history.count() >= 3


def test_a_draft_cannot_take_another_pledges_commitment(kz, kz_fp, fr, fr_fp):
    theirs = services.start_pledge(country=fr, by=fr_fp)
    fill(theirs, fr_fp)
    mine = services.start_pledge(country=kz, by=kz_fp)
    foreign = theirs.commitments.first()
    with pytest.raises(ValidationError, match="does not belong"):
        services.save_pledge_draft(pledge=mine, by=kz_fp, title="", vision="",
                                   commitments=[{"id": foreign.pk, "description": "hijacked"}])
    foreign.refresh_from_db()
    assert foreign.description == COMMITMENTS[0]["description"]


def test_another_countrys_focal_point_cannot_edit_or_submit(kz, kz_fp, fr_fp):
    pledge = services.start_pledge(country=kz, by=kz_fp)
    fill(pledge, kz_fp)
    with pytest.raises(ValidationError, match="focal point of Kazakhstan"):
        fill(pledge, fr_fp, title="Hijacked")
    with pytest.raises(ValidationError, match="focal point of Kazakhstan"):
        services.submit_pledge(pledge=pledge, by=fr_fp)
    pledge.refresh_from_db()
    assert pledge.title == "Health for all families" and pledge.status == Pledge.Status.DRAFT


def test_unknown_levers_are_refused_by_the_service_and_the_database(kz, kz_fp):
    pledge = services.start_pledge(country=kz, by=kz_fp)
    with pytest.raises(ValidationError, match="Unknown lever"):
        services.save_pledge_draft(pledge=pledge, by=kz_fp, title="", vision="", commitments=[{"levers": ["magic"]}])
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.create(pledge=pledge, levers=["magic"])


def test_submission_says_what_is_missing(kz, kz_fp):
    pledge = services.start_pledge(country=kz, by=kz_fp)
    with pytest.raises(ValidationError) as error:
        services.submit_pledge(pledge=pledge, by=kz_fp)
    assert error.value.messages == ["Give the pledge a title.", "Write the vision statement.", "Add at least one commitment."]
    services.save_pledge_draft(pledge=pledge, by=kz_fp, title="T", vision="V", commitments=[
        {"description": "Something", "levers": ["funding"], "indicators": [{"name": "i", "baseline_value": 1, "target_value": 2}],
         "target_date": timezone.localdate() - timedelta(days=1)},
    ])
    with pytest.raises(ValidationError) as error:
        services.submit_pledge(pledge=pledge, by=kz_fp)
    assert "Commitment 1 needs at least one PHC component." in error.value.messages
    assert any("has passed" in m for m in error.value.messages)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.DRAFT and not pledge.versions.exists()


def test_the_whole_workflow_records_who_and_when_and_mails_the_other_side(
    kz, kz_fp, secretariat, django_capture_on_commit_callbacks
):
    other_fp = make_focal_point(kz, email="second@kz.example.org", language="en")
    pledge = services.start_pledge(country=kz, by=kz_fp)
    fill(pledge, kz_fp)
    with django_capture_on_commit_callbacks(execute=True):
        pledge = services.submit_pledge(pledge=pledge, by=kz_fp)
    assert pledge.status == Pledge.Status.SUBMITTED and pledge.submitted_by == kz_fp and pledge.submitted_at
    assert mail.outbox[-1].to == [settings.SECRETARIAT_EMAIL]
    assert f"/en/pledges/{pledge.pk}/" in mail.outbox[-1].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.return_pledge(pledge=pledge, by=secretariat, comment="Make the second target measurable.")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.DRAFT and pledge.is_returned and pledge.returned_by == secretariat
    # One e-mail per language of the focal points, each in that language.
    assert sorted(m.to[0] for m in mail.outbox) == [kz_fp.email, other_fp.email]
    assert all("Make the second target measurable." in m.body for m in mail.outbox)
    assert any(f"/ru/pledges/{pledge.pk}/edit/" in m.body for m in mail.outbox)

    second = dict(COMMITMENTS[1], indicators=[indicator("PHC share of government health expenditure", 30, 50)])
    fill(pledge, kz_fp, commitments=[COMMITMENTS[0], second])
    services.submit_pledge(pledge=pledge, by=kz_fp)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_pledge(pledge=pledge, by=secretariat)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.ACCEPTED and pledge.accepted_by == secretariat
    assert pledge.review_comment == ""
    assert len(mail.outbox) == 2

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_pledge(pledge=pledge, by=secretariat)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PUBLISHED and pledge.published_by == secretariat and pledge.published_at
    assert any("/countries/kaz/" in m.body for m in mail.outbox)

    versions = list(pledge.versions.order_by("number"))
    assert [(v.number, v.outcome) for v in versions] == [(1, "returned"), (2, "accepted")]
    assert versions[0].comment == "Make the second target measurable."
    rows = diff_snapshots(versions[0].snapshot, versions[1].snapshot)
    assert ("removed", "    Target: 45% (2030)") in rows and ("added", "    Target: 50% (2030)") in rows
    assert pledge.history.count() >= 6


@pytest.mark.parametrize("action", ["return", "accept", "publish"])
def test_only_the_secretariat_reviews(kz, kz_fp, fr_fp, action):
    pledge = services.start_pledge(country=kz, by=kz_fp)
    fill(pledge, kz_fp)
    services.submit_pledge(pledge=pledge, by=kz_fp)
    for person in (kz_fp, fr_fp):
        with pytest.raises(ValidationError, match="secretariat staff"):
            if action == "return":
                services.return_pledge(pledge=pledge, by=person, comment="x")
            elif action == "accept":
                services.accept_pledge(pledge=pledge, by=person)
            else:
                services.publish_pledge(pledge=pledge, by=person)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED


def test_transitions_out_of_order_are_refused(kz, kz_fp, secretariat):
    pledge = services.start_pledge(country=kz, by=kz_fp)
    fill(pledge, kz_fp)
    with pytest.raises(ValidationError, match="it is draft"):
        services.accept_pledge(pledge=pledge, by=secretariat)
    with pytest.raises(ValidationError, match="it is draft"):
        services.return_pledge(pledge=pledge, by=secretariat, comment="x")
    with pytest.raises(ValidationError, match="it is draft"):
        services.publish_pledge(pledge=pledge, by=secretariat)
    services.submit_pledge(pledge=pledge, by=kz_fp)
    with pytest.raises(ValidationError, match="submitted for review"):
        services.submit_pledge(pledge=pledge, by=kz_fp)
    with pytest.raises(ValidationError, match="submitted for review"):
        fill(pledge, kz_fp, title="Edited after submission")
    with pytest.raises(ValidationError, match="submitted for review"):
        services.publish_pledge(pledge=pledge, by=secretariat)
    with pytest.raises(ValidationError, match="Say what"):
        services.return_pledge(pledge=pledge, by=secretariat, comment="   ")
    services.accept_pledge(pledge=pledge, by=secretariat)
    with pytest.raises(ValidationError, match="accepted"):
        services.accept_pledge(pledge=pledge, by=secretariat)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.ACCEPTED and PledgeVersion.objects.filter(pledge=pledge).count() == 1


def test_revoked_or_ended_focal_points_edit_nothing(kz, kz_fp, time_machine):
    pledge = services.start_pledge(country=kz, by=kz_fp)
    membership = Membership.objects.get(country=kz)
    member_services.give_notice(membership=membership, received_on=timezone.localdate())
    time_machine.move_to(membership.expires_on + timedelta(days=1))
    with pytest.raises(ValidationError, match="while it is a member"):
        fill(pledge, kz_fp)
    time_machine.move_to(membership.started_on + timedelta(days=400))
    fp = FocalPoint.objects.get(user=kz_fp)
    fp.revoked_at = timezone.now()
    fp.save()
    with pytest.raises(ValidationError, match="while it is a member"):
        fill(pledge, kz_fp)


def test_a_notification_under_an_smtp_failure_is_retried_and_delivered_not_lost(
    kz, kz_fp, secretariat, django_capture_on_commit_callbacks
):
    from coalition import mail as outbox
    from coalition.models import OutgoingMail
    from tests.coalition.backends import FLAKY, FlakyBackend

    pledge = services.start_pledge(country=kz, by=kz_fp)
    fill(pledge, kz_fp)
    services.submit_pledge(pledge=pledge, by=kz_fp)
    outbox.deliver_due()
    mail.outbox.clear()
    FlakyBackend.reset(failures={kz_fp.email: 1})
    with override_settings(EMAIL_BACKEND=FLAKY):
        with django_capture_on_commit_callbacks(execute=True):
            services.accept_pledge(pledge=pledge, by=secretariat)  # its e-mail fails after the commit
        pledge.refresh_from_db()
        assert pledge.status == Pledge.Status.ACCEPTED and mail.outbox == []
        row = OutgoingMail.objects.get(kind="pledges/pledge_accepted")
        assert (row.status, row.attempts, row.about) == ("queued", 1, pledge)
        assert "Connection unexpectedly closed" in row.last_error
        assert outbox.deliver_due(timezone.now() + timedelta(hours=1)) == 1
    [message] = mail.outbox
    assert message.to == [kz_fp.email] and f"/ru/pledges/{pledge.pk}/" in message.body
    row.refresh_from_db()
    assert row.status == "sent"
    FlakyBackend.reset()
