from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from members.models import Country
from pledges import services
from pledges.models import FocalPoint, Invitation, Pledge, ProgressReport
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory, member
from tests.outcomes import outcome
from tests.pledges.conftest import entries_for, fill, make_focal_point, publish, since

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(kz, kz_fp):
    pledge = services.start_pledge(country=kz, by=kz_fp)
    return fill(pledge, kz_fp)


@pytest.fixture
def people(kz_fp, fr_fp, secretariat):
    """The four viewers every page is tried as."""
    return {"public": None, "own": kz_fp, "other": fr_fp, "staff": secretariat}


def as_(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client


def formset_data(pledge, **changes):
    data = {
        "title": pledge.title, "vision": pledge.vision,
        "commitments-TOTAL_FORMS": "3", "commitments-INITIAL_FORMS": "2",
        "commitments-MIN_NUM_FORMS": "0", "commitments-MAX_NUM_FORMS": "30",
    }
    for i, c in enumerate(pledge.commitments.all()):
        data.update({
            f"commitments-{i}-id": str(c.pk), f"commitments-{i}-description": c.description,
            f"commitments-{i}-strategic_levers": [v for v in c.levers if v in ("political_commitment", "governance", "funding", "engagement")],
            f"commitments-{i}-operational_levers": [v for v in c.levers if v not in ("political_commitment", "governance", "funding", "engagement")],
            f"commitments-{i}-components": c.components,
            f"commitments-{i}-target_date": c.target_date.isoformat(),
            f"commitments-{i}-responsible_institution": c.responsible_institution,
            f"commitments-{i}-budget": c.budget, f"commitments-{i}-no_budget_needed": "on" if c.no_budget_needed else "",
        })
        indicators = list(c.indicators.all())
        data.update({f"commitments-{i}-indicators-TOTAL_FORMS": str(len(indicators)),
                     f"commitments-{i}-indicators-INITIAL_FORMS": str(len(indicators))})
        for j, ind in enumerate(indicators):
            p = f"commitments-{i}-indicators-{j}"
            data.update({f"{p}-id": str(ind.pk), f"{p}-name": ind.name, f"{p}-unit": ind.unit,
                         f"{p}-baseline_value": str(ind.baseline_value), f"{p}-baseline_year": str(ind.baseline_year),
                         f"{p}-target_value": str(ind.target_value), f"{p}-target_year": str(ind.target_year)})
    data.update({"commitments-2-indicators-TOTAL_FORMS": "1", "commitments-2-indicators-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


# --- Who sees what -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who, status", [("public", "login"), ("own", 200), ("other", 404), ("staff", 200)])
def test_draft_detail(client, people, draft, who, status):
    response = as_(client, people[who]).get(reverse("pledges:detail", args=[draft.pk]))
    assert outcome(response) == status
    if status == 200:
        assert "Health for all families" in response.content.decode()


@pytest.mark.parametrize("who", ["public", "own", "other", "staff"])
def test_published_detail_is_public(client, people, kz, kz_fp, secretariat, who):
    pledge = publish(kz, kz_fp, secretariat)
    response = as_(client, people[who]).get(reverse("pledges:detail", args=[pledge.pk]))
    assert response.status_code == 200
    assert "Register every resident" in response.content.decode()


@pytest.mark.parametrize("who, status", [("public", "login"), ("own", 200), ("other", 404), ("staff", 404)])
def test_edit_page(client, people, draft, who, status):
    assert outcome(as_(client, people[who]).get(reverse("pledges:edit", args=[draft.pk]))) == status


@pytest.mark.parametrize("who", ["public", "other", "staff"])
def test_posting_to_another_countrys_draft_answers_404_and_changes_nothing(client, people, draft, who):
    response = as_(client, people[who]).post(reverse("pledges:edit", args=[draft.pk]),
                                            formset_data(draft, title="Hijacked", action="submit"))
    assert outcome(response) == ("login" if who == "public" else 404)
    draft.refresh_from_db()
    assert draft.title == "Health for all families" and draft.status == Pledge.Status.DRAFT


def test_edit_saves_an_incomplete_draft(client, kz_fp, draft):
    data = formset_data(draft, title="", **{"commitments-2-description": "A third, only an idea"})
    response = as_(client, kz_fp).post(reverse("pledges:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "" and draft.commitments.count() == 3


def test_edit_keeps_input_when_validation_fails(client, kz_fp, draft):
    past = (timezone.localdate() - timedelta(days=5)).isoformat()
    data = formset_data(draft, title="A better title", **{
        "commitments-2-description": "Typed but not saved", "commitments-2-target_date": past,
    })
    response = as_(client, kz_fp).post(reverse("pledges:edit", args=[draft.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The target date must be in the future." in html
    assert 'value="A better title"' in html and "Typed but not saved" in html
    draft.refresh_from_db()
    assert draft.title == "Health for all families" and draft.commitments.count() == 2


def test_submit_from_the_edit_page_names_what_is_missing(client, kz_fp, draft):
    data = formset_data(draft, vision="", action="submit")
    response = as_(client, kz_fp).post(reverse("pledges:edit", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "Write the vision statement." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Pledge.Status.DRAFT and draft.vision == ""


def test_submit_from_the_edit_page(client, kz_fp, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_(client, kz_fp).post(reverse("pledges:edit", args=[draft.pk]), formset_data(draft, action="submit"))
    assert response.status_code == 302 and response["Location"] == reverse("pledges:detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Pledge.Status.SUBMITTED
    assert len(mail.outbox) == 1
    # A submitted pledge can no longer be edited.
    assert client.get(reverse("pledges:edit", args=[draft.pk])).status_code == 302


def test_a_revoked_focal_point_can_neither_see_nor_edit_the_draft(client, kz_fp, draft, secretariat):
    services.revoke_focal_point(focal_point=FocalPoint.objects.get(user=kz_fp), by=secretariat)
    as_(client, kz_fp)
    assert client.get(reverse("pledges:detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("pledges:edit", args=[draft.pk]), formset_data(draft, title="x")).status_code == 404
    assert client.get(reverse("pledges:dashboard")).status_code == 404


def test_an_unverified_focal_point_edits_nothing(client, kz, draft):
    from allauth.account.models import EmailAddress

    person = make_focal_point(kz, email="unverified@kz.example.org")
    EmailAddress.objects.filter(user=person).update(verified=False)
    assert as_(client, person).get(reverse("pledges:edit", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("who, status", [("public", "login"), ("own", 302), ("other", 404), ("staff", 404)])
def test_start_pledge(client, people, kz, who, status):
    response = as_(client, people[who]).post(reverse("pledges:start", args=["kaz"]))
    assert outcome(response) == status
    assert Pledge.objects.filter(country=kz).exists() == (status == 302)


@pytest.mark.parametrize("who, status", [("public", "login"), ("own", 404), ("other", 404), ("staff", 302)])
def test_review_actions(client, people, draft, kz_fp, who, status, django_capture_on_commit_callbacks):
    services.submit_pledge(pledge=draft, by=kz_fp)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_(client, people[who]).post(reverse("pledges:review", args=[draft.pk]),
                                                 {"action": "return", "comment": "Sharper targets, please."})
    assert outcome(response) == status
    draft.refresh_from_db()
    assert draft.is_returned == (status == 302)
    assert (len(mail.outbox) == 1) == (status == 302)


def test_staff_review_shows_refusals_as_messages(client, secretariat, draft, kz_fp):
    services.submit_pledge(pledge=draft, by=kz_fp)
    response = as_(client, secretariat).post(reverse("pledges:review", args=[draft.pk]),
                                             {"action": "return", "comment": ""}, follow=True)
    assert "Say what the focal points should change" in response.content.decode()
    response = client.post(reverse("pledges:review", args=[draft.pk]), {"action": "accept"}, follow=True)
    assert "The pledge was accepted." in response.content.decode()
    response = client.post(reverse("pledges:review", args=[draft.pk]), {"action": "publish"}, follow=True)
    draft.refresh_from_db()
    assert draft.status == Pledge.Status.PUBLISHED


@pytest.mark.parametrize("who, status", [("public", "login"), ("own", 200), ("other", 404), ("staff", 200)])
def test_changes_between_versions(client, people, draft, kz_fp, secretariat, who, status):
    services.submit_pledge(pledge=draft, by=kz_fp)
    services.return_pledge(pledge=draft, by=secretariat, comment="Be bolder.")
    fill(draft, kz_fp, title="Health for every family, everywhere")
    services.submit_pledge(pledge=draft, by=kz_fp)
    response = as_(client, people[who]).get(reverse("pledges:changes", args=[draft.pk]))
    assert outcome(response) == status
    if status == 200:
        html = response.content.decode()
        assert "<del>" in html and "Title: Health for all families" in html
        assert "Title: Health for every family, everywhere" in html


def test_staff_need_two_factor_for_review_pages_when_required(client, secretariat, draft, settings):
    settings.STAFF_REQUIRE_2FA = True
    as_(client, secretariat)
    assert "/2fa/totp/activate/" in client.get(reverse("pledges:changes", args=[draft.pk]))["Location"]
    assert "/2fa/totp/activate/" in client.get(reverse("pledges:detail", args=[draft.pk]))["Location"]


# --- Public pages ---------------------------------------------------------------------------------------


def test_list_shows_published_pledges_only_in_few_queries(client, kz, kz_fp, fr, fr_fp, secretariat,
                                                         django_assert_max_num_queries):
    publish(kz, kz_fp, secretariat)
    services.start_pledge(country=fr, by=fr_fp)
    for iso2 in ("GH", "BR", "VN"):
        country = member(iso2, since=since()).country
        publish(country, make_focal_point(country), secretariat)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("pledges:list"))
    html = response.content.decode()
    assert "Kazakhstan" in html and "Ghana" in html and "France" not in html


def test_country_page_shows_membership_pledge_and_progress_but_nothing_private(
    client, kz, kz_fp, secretariat, django_assert_max_num_queries
):
    pledge = publish(kz, kz_fp, secretariat)
    report = services.start_progress_report(pledge=pledge, by=kz_fp)
    services.save_progress_draft(report=report, by=kz_fp, entries=entries_for(report, value=71, narrative="Going well."))
    services.submit_progress_report(report=report, by=kz_fp)
    url = reverse("pledges:country", args=["kaz"])
    assert "71%" not in client.get(url).content.decode()
    services.publish_progress_report(report=report, by=secretariat)
    # A fixed number: the page also shows membership history, Core Group service, champions and events,
    # and each commitment's indicators with their published values (prefetched, whatever their number).
    with django_assert_max_num_queries(19):
        html = client.get(url).content.decode()
    assert "Kazakhstan" in html and "Member since" in html
    assert "Health for all families" in html and "Register every resident" in html
    # 60 (2023) → 95 (2030): 71 in the report's year is behind the straight line, 31.4% of the way.
    assert "71%" in html and "Off track" in html
    assert "31.4% of the way to the target" in html
    assert kz_fp.email not in html and "contact@kz.example.org" not in html


def test_country_page_hides_drafts_and_wants_lower_case(client, draft):
    html = client.get(reverse("pledges:country", args=["kaz"])).content.decode()
    assert "Health for all families" not in html and "No pledge has been published yet." in html
    assert client.get(reverse("pledges:country", args=["KAZ"]))["Location"] == reverse("pledges:country", args=["kaz"])
    assert client.get(reverse("pledges:country", args=["xxx"])).status_code == 404


def test_country_page_of_a_country_that_is_not_a_member(client, db):
    assert "not a member" in client.get(reverse("pledges:country", args=["deu"])).content.decode()


# --- Progress reports ----------------------------------------------------------------------------------


@pytest.fixture
def published(kz, kz_fp, secretariat):
    return publish(kz, kz_fp, secretariat)


@pytest.mark.parametrize("who, status", [("public", "login"), ("own", 302), ("other", 404), ("staff", 404)])
def test_progress_start(client, people, published, who, status):
    response = as_(client, people[who]).post(reverse("pledges:progress-start", args=[published.pk]))
    assert outcome(response) == status
    assert ProgressReport.objects.exists() == (who == "own")


@pytest.mark.parametrize("who, view_status, edit_status", [
    ("public", "login", "login"), ("own", 200, 200), ("other", 404, 404), ("staff", 200, 404),
])
def test_progress_pages(client, people, published, kz_fp, who, view_status, edit_status):
    report = services.start_progress_report(pledge=published, by=kz_fp)
    as_(client, people[who])
    assert outcome(client.get(reverse("pledges:progress", args=[report.pk]))) == view_status
    assert outcome(client.get(reverse("pledges:progress-edit", args=[report.pk]))) == edit_status
    data = {}
    for e in report.entries.all():
        data.update({f"c{e.commitment_id}-completion": "complete", f"c{e.commitment_id}-narrative": "Done."})
        for i in e.commitment.indicators.all():
            data.update({f"c{e.commitment_id}-i{i.pk}-value": "99", f"c{e.commitment_id}-i{i.pk}-year": "2026"})
    data["action"] = "submit"
    response = client.post(reverse("pledges:progress-edit", args=[report.pk]), data)
    assert outcome(response) == {"own": 302, "public": "login"}.get(who, 404)
    report.refresh_from_db()
    assert report.status == ("submitted" if who == "own" else "draft")


@pytest.mark.parametrize("who, status", [("public", "login"), ("own", 404), ("other", 404), ("staff", 302)])
def test_progress_review(client, people, published, kz_fp, who, status):
    report = services.start_progress_report(pledge=published, by=kz_fp)
    services.save_progress_draft(report=report, by=kz_fp, entries=entries_for(report, value=1, narrative="n"))
    services.submit_progress_report(report=report, by=kz_fp)
    response = as_(client, people[who]).post(reverse("pledges:progress-review", args=[report.pk]), {"action": "publish"})
    assert outcome(response) == status
    report.refresh_from_db()
    assert (report.status == "published") == (who == "staff")


def test_published_progress_is_public_and_drafts_are_not(client, published, kz_fp, secretariat):
    report = services.start_progress_report(pledge=published, by=kz_fp)
    url = reverse("pledges:progress", args=[report.pk])
    assert outcome(client.get(url)) == "login"
    services.save_progress_draft(report=report, by=kz_fp, entries=entries_for(report, value=97, narrative="Done."))
    services.submit_progress_report(report=report, by=kz_fp)
    assert outcome(client.get(url)) == "login"
    services.publish_progress_report(report=report, by=secretariat)
    response = client.get(url)
    assert response.status_code == 200 and "97%" in response.content.decode()


# --- Dashboard ------------------------------------------------------------------------------------------


def test_dashboard_shows_membership_pledge_and_what_is_due(client, kz_fp, published, django_assert_max_num_queries):
    as_(client, kz_fp)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("pledges:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kazakhstan" in html and "Renews automatically on" in html and "Notice deadline" in html
    assert "Health for all families" in html
    assert f"The progress report for {published.published_at.year + 1} is due on" in html
    assert "No upcoming events." in html


def test_dashboard_offers_to_start_the_pledge(client, kz_fp, kz):
    html = as_(client, kz_fp).get(reverse("pledges:dashboard")).content.decode()
    assert reverse("pledges:start", args=["kaz"]) in html


def test_dashboard_sends_anonymous_visitors_to_sign_in_and_others_away(client, user, secretariat, db):
    assert reverse("account_login") in client.get(reverse("pledges:dashboard"))["Location"]
    assert as_(client, user).get(reverse("pledges:dashboard")).status_code == 404
    assert as_(client, secretariat).get(reverse("pledges:dashboard")).status_code == 404


def test_dashboard_uses_events_when_the_events_app_offers_them(client, kz_fp, kz, monkeypatch):
    import sys
    import types

    module = types.ModuleType("events.selectors")
    module.upcoming_events_for = lambda country, user: [f"Workshop for {country.name}"]
    monkeypatch.setitem(sys.modules, "events.selectors", module)
    html = as_(client, kz_fp).get(reverse("pledges:dashboard")).content.decode()
    assert "Workshop for Kazakhstan" in html


# --- Invitations ------------------------------------------------------------------------------------------


@pytest.fixture
def invitation(kz, secretariat):
    return services.invite_focal_point(country=kz, email="invitee@example.org", name="In Vitee", language="en",
                                       by=secretariat)


def test_accepting_an_invitation_in_the_browser_signs_in_and_lands_on_the_dashboard(client, invitation):
    url = reverse("pledges:invitation", args=[invitation.token])
    page = client.get(url)
    assert page.status_code == 200 and "invitee@example.org" in page.content.decode()
    response = client.post(url, {"full_name": "In Vitee", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("pledges:dashboard")
    assert client.get(reverse("pledges:dashboard")).status_code == 200
    user = User.objects.get(email="invitee@example.org")
    assert FocalPoint.objects.filter(user=user, country__iso2="KZ").exists()
    # Signing in later works with the chosen password (the address counts as verified).
    client.logout()
    assert client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}).status_code == 302
    assert client.get(reverse("pledges:dashboard")).status_code == 200
    # The link is now spent.
    client.logout()
    assert client.get(url).status_code == 410


def test_invitation_form_keeps_input_on_mismatched_passwords(client, invitation):
    url = reverse("pledges:invitation", args=[invitation.token])
    response = client.post(url, {"full_name": "Typed Name", "password1": TEST_PASSWORD, "password2": "other-password-1"})
    assert response.status_code == 200
    assert "The two passwords differ." in response.content.decode()
    assert 'value="Typed Name"' in response.content.decode()
    assert not User.objects.filter(email="invitee@example.org").exists()


def test_unknown_expired_and_revoked_invitation_links(client, invitation, secretariat, time_machine):
    assert client.get(reverse("pledges:invitation", args=["not-a-token"])).status_code == 404
    services.revoke_invitation(invitation=invitation, by=secretariat)
    response = client.get(reverse("pledges:invitation", args=[invitation.token]))
    assert response.status_code == 410 and "withdrawn" in response.content.decode()
    other = services.invite_focal_point(country=invitation.country, email="late@example.org", by=secretariat)
    time_machine.move_to(other.expires_at + timedelta(minutes=1))
    response = client.post(reverse("pledges:invitation", args=[other.token]),
                           {"full_name": "x", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD})
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not User.objects.filter(email="late@example.org").exists()


def test_an_existing_user_accepts_after_signing_in(client, kz, secretariat):
    person = UserFactory(email="known@example.org")
    invitation = services.invite_focal_point(country=kz, email="known@example.org", by=secretariat)
    url = reverse("pledges:invitation", args=[invitation.token])
    html = client.get(url).content.decode()
    assert "Sign in with it" in html
    client.post(url, {"full_name": "x", "password1": "whatever-password-1", "password2": "whatever-password-1"})
    assert not FocalPoint.objects.exists()
    as_(client, person)
    assert client.post(url).status_code == 302
    assert FocalPoint.objects.get().user == person


def test_someone_signed_in_as_another_person_cannot_take_the_invitation(client, invitation, user):
    as_(client, user)
    response = client.post(reverse("pledges:invitation", args=[invitation.token]),
                           {"full_name": "x", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD})
    assert response.status_code == 200 and "but you are signed in as" in response.content.decode()
    assert not FocalPoint.objects.exists()


# --- Admin ------------------------------------------------------------------------------------------------


def test_admin_invitation_form_is_prefilled_from_the_query_string(client, secretariat, kz):
    url = reverse("admin:pledges_invitation_add") + f"?country={kz.pk}&email=contact@kz.example.org&name=Contact+Person&language=ru"
    html = as_(client, secretariat).get(url).content.decode()
    assert 'value="contact@kz.example.org"' in html and 'value="Contact Person"' in html
    assert f'<option value="{kz.pk}" selected>' in html
    assert '<option value="ru" selected>' in html


def test_admin_invites_through_the_service(client, secretariat, kz, django_capture_on_commit_callbacks):
    as_(client, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:pledges_invitation_add"),
                               {"country": kz.pk, "email": "new@kz.example.org", "name": "New", "language": "en"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.created_by == secretariat and invitation.expires_at > timezone.now()
    assert len(mail.outbox) == 1 and "/en/invitations/" in mail.outbox[0].body
    # A second invitation of the same address is refused on the form.
    response = client.post(reverse("admin:pledges_invitation_add"),
                           {"country": kz.pk, "email": "new@kz.example.org", "name": "New", "language": "en"})
    assert response.status_code == 200 and "already has an invitation" in response.content.decode()
    # Countries that are not members are not offered.
    html = client.get(reverse("admin:pledges_invitation_add")).content.decode()
    assert "Germany" not in html


def test_admin_revokes_invitations_and_focal_points(client, secretariat, invitation, kz_fp):
    as_(client, secretariat)
    client.post(reverse("admin:pledges_invitation_changelist"),
                {"action": "revoke", "_selected_action": [invitation.pk]})
    invitation.refresh_from_db()
    assert invitation.revoked_by == secretariat
    fp = FocalPoint.objects.get(user=kz_fp)
    client.post(reverse("admin:pledges_focalpoint_changelist"), {"action": "revoke", "_selected_action": [fp.pk]})
    fp.refresh_from_db()
    assert fp.revoked_at is not None


def test_admin_pledge_actions_call_the_services(client, secretariat, draft, kz_fp):
    services.submit_pledge(pledge=draft, by=kz_fp)
    as_(client, secretariat)
    assert client.get(reverse("admin:pledges_pledge_change", args=[draft.pk])).status_code == 200
    client.post(reverse("admin:pledges_pledge_changelist"), {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Pledge.Status.SUBMITTED
    client.post(reverse("admin:pledges_pledge_changelist"), {"action": "accept", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Pledge.Status.ACCEPTED and draft.accepted_by == secretariat


def test_admin_is_closed_to_focal_points(client, kz_fp):
    response = as_(client, kz_fp).get(reverse("admin:pledges_pledge_changelist"))
    assert response.status_code in (302, 403)


def test_staff_outside_the_secretariat_group_are_not_reviewers(client, draft):
    outsider = StaffFactory()
    outsider.groups.clear()
    assert as_(client, outsider).get(reverse("pledges:detail", args=[draft.pk])).status_code == 404


def test_demo_load_is_idempotent_and_needs_members(db):
    from pledges import demo

    demo.load()
    assert not Pledge.objects.exists()
    member("GH", since=since())
    demo.load()
    demo.load()
    assert Pledge.objects.filter(status=Pledge.Status.PUBLISHED).count() == 1
    pledge = Country.objects.get(iso2="GH").pledges.get()
    assert pledge.commitments.count() == 2
    # With a published report, so the explorer has numbers to show: 62 → 95 at 81 is 57.6% of the way.
    from pledges import selectors

    tracks = [t for row in selectors.tracked(pledge.commitments.all()) for t in row["tracks"]]
    assert [str(t.percent) for t in tracks] == ["57.6", "41.7", "11.1"]


def test_focal_point_chooses_to_show_their_contact_on_the_country_page(client, kz, kz_fp, fr_fp):
    url = reverse("pledges:country", args=["kaz"])
    assert kz_fp.email not in client.get(url).content.decode()
    toggle = reverse("pledges:public-contact", args=["kaz"])
    # Nobody else may show it: another country's focal point and the public get 404, nothing changes.
    assert as_(client, fr_fp).post(toggle, {"public": "1"}).status_code == 404
    client.logout()
    assert client.post(toggle, {"public": "1"}).status_code in (302, 404)
    assert kz_fp.email not in client.get(url).content.decode()
    as_(client, kz_fp).post(toggle, {"public": "1"})
    client.logout()
    assert f'href="mailto:{kz_fp.email}"' in client.get(url).content.decode()
    as_(client, kz_fp).post(toggle, {"public": "0"})
    client.logout()
    assert kz_fp.email not in client.get(url).content.decode()


def test_only_the_person_may_set_their_public_contact(kz, kz_fp, secretariat):
    focal_point = FocalPoint.objects.get(user=kz_fp)
    with pytest.raises(ValidationError, match="Only the focal point"):
        services.set_public_contact(focal_point=focal_point, public=True, by=secretariat)
    assert not FocalPoint.objects.get(pk=focal_point.pk).public_contact
