"""The holes an outside review found, each with the test that now guards it (issue 12)."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.roles import SECRETARIAT_GROUP
from events import selectors as event_selectors
from events import services as event_services
from events.models import Kind, Registration
from members import services as member_services
from members.core_group import validate_photo
from members.models import Membership
from members.validators import validate_pdf
from pledges import services as pledge_services
from tests.events.conftest import make_event
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory, member
from tests.members.pdfs import MINIMAL_PDF
from tests.outcomes import outcome
from tests.pledges.conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def kz():
    return member("KZ", since=timezone.localdate() - timedelta(days=365)).country


@pytest.fixture
def kz_fp(kz):
    user = UserFactory(email="fp@kz.example.org")
    pledge_services.add_focal_point(country=kz, user=user)
    return user


# --- 1. A Secretariat user cannot raise privileges -------------------------------------------------


def test_secretariat_cannot_make_itself_superuser_or_touch_staff_accounts(client):
    officer = StaffFactory(email="officer@example.org")
    root = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client.force_login(officer)
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page
    client.post(url, {"email": officer.email, "full_name": "Officer", "language": "en", "is_active": "on",
                      "is_staff": "on", "is_superuser": "on", "groups": [Group.objects.get(name=SECRETARIAT_GROUP).pk],
                      "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    officer.refresh_from_db()
    assert not officer.is_superuser
    # Nor can it set a superuser's password or change its e-mail (then reset the password).
    response = client.post(f"/en/admin/accounts/user/{root.pk}/password/",
                           {"password1": "a-new-password-42", "password2": "a-new-password-42"})
    assert response.status_code == 404
    root.refresh_from_db()
    assert root.check_password(TEST_PASSWORD)
    assert 'name="email"' not in client.get(reverse("admin:accounts_user_change", args=[root.pk])).content.decode()


def test_secretariat_still_edits_a_focal_points_name_and_language(client, kz_fp):
    client.force_login(StaffFactory())
    page = client.get(reverse("admin:accounts_user_change", args=[kz_fp.pk])).content.decode()
    assert 'name="full_name"' in page and 'name="language"' in page and 'name="is_staff"' not in page


def test_a_superuser_may_grant_staff_status(client, kz_fp):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:accounts_user_change", args=[kz_fp.pk])).content.decode()
    assert 'name="is_superuser"' in page


# --- 2. Two-factor for every staff page, not only the admin ----------------------------------------


def test_staff_without_an_authenticator_are_sent_to_enrol_before_any_staff_file(client, settings, kz):
    settings.STAFF_REQUIRE_2FA = True
    staff = StaffFactory()
    client.force_login(staff)
    letter = kz.letters.get()
    event = make_event(kind=Kind.CORE_GROUP)
    for url in [reverse("members:letter-file", args=[letter.pk]), reverse("events:attendees-csv", args=[event.pk]),
                reverse("events:detail", args=[event.pk]), reverse("reports:list"), reverse("admin:index")]:
        assert outcome(client.get(url)) == "enrol", url
    # Enrolment itself stays reachable (allauth may first ask for the password again).
    response = client.get(reverse("mfa_activate_totp"))
    assert outcome(response) != "enrol" and response.status_code in (200, 302)


# --- 3. Staff outside the Secretariat group are not the Secretariat --------------------------------


def test_staff_outside_the_secretariat_do_not_act_as_it_in_events(client, kz, kz_fp):
    outsider = UserFactory(is_staff=True)
    assert not access.is_secretariat(outsider)
    meeting = make_event(kind=Kind.CORE_GROUP)
    public_event = make_event()
    delegate = event_services.register(event=public_event, name="D", email="d@kz.example.org", country=kz, by=kz_fp)
    assert meeting not in event_selectors.visible_events(outsider)
    client.force_login(outsider)
    assert client.get(reverse("events:detail", args=[meeting.pk])).status_code == 404
    client.post(reverse("events:cancel-registration", args=[public_event.pk, delegate.pk]))
    delegate.refresh_from_db()
    assert delegate.status == Registration.Status.CONFIRMED
    with pytest.raises(Exception, match="not open"):
        event_services.register(event=meeting, name="X", email="x@example.org", by=outsider)


# --- 4. Focal points of a former member lose members-only access -----------------------------------


def test_focal_points_of_a_former_member_lose_members_only_access(client, time_machine):
    old = member("DE", since=timezone.localdate() - timedelta(days=6 * 365))
    former = UserFactory()
    pledge_services.add_focal_point(country=old.country, user=former)
    closed = make_event(public=False)
    material = event_services.add_material(event=closed, kind="agenda", title="Agenda",
                                           file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 agenda"))
    client.force_login(former)
    assert client.get(reverse("events:detail", args=[closed.pk])).status_code == 200
    member_services.give_notice(membership=old, received_on=old.started_on + timedelta(days=30))
    member_services.renew_due_memberships(today=timezone.localdate())
    assert Membership.objects.of(old.country, on=timezone.localdate()) is None
    assert access.countries_of(former) == []
    assert client.get(reverse("events:detail", args=[closed.pk])).status_code == 404
    assert client.get(reverse("events:material", args=[closed.pk, material.pk])).status_code == 404
    assert client.get(reverse("pledges:dashboard")).status_code == 404
    with pytest.raises(Exception, match="not open to public registration"):
        event_services.register(event=closed, name="X", email="x@example.org", country=old.country, by=former)


# --- 5. Country delegates only by the country; public forms are throttled --------------------------


def test_a_public_registrant_naming_a_country_is_no_delegate_until_its_focal_point_confirms(client, kz, kz_fp):
    event = make_event(starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=1))
    upcoming = make_event()
    client.post(reverse("events:detail", args=[upcoming.pk]),
                {"reg-name": "Someone", "reg-email": "someone@example.org", "reg-country": kz.pk})
    claimed = upcoming.registrations.get()
    assert claimed.country == kz and not claimed.is_delegate
    # What counts as participation: confirmed delegates only.
    Registration.objects.filter(pk=claimed.pk).update(event=event)
    assert event_selectors.participation_of(kz) == []
    Registration.objects.filter(pk=claimed.pk).update(event=upcoming)
    client.force_login(kz_fp)
    page = client.get(reverse("events:detail", args=[upcoming.pk])).content.decode()
    assert "Confirm Someone as delegate" in page
    client.post(reverse("events:confirm-delegate", args=[upcoming.pk, claimed.pk]))
    claimed.refresh_from_db()
    assert claimed.is_delegate and claimed.delegate_confirmed_by == kz_fp
    # Another country's focal point cannot confirm it.
    other = UserFactory()
    pledge_services.add_focal_point(country=member("FR").country, user=other)
    second = event_services.register(event=upcoming, name="Two", email="two@example.org", country=kz)
    client.force_login(other)
    assert client.post(reverse("events:confirm-delegate", args=[upcoming.pk, second.pk])).status_code == 404
    second.refresh_from_db()
    assert not second.is_delegate


def test_anonymous_registrations_are_throttled_per_ip(client, settings):
    settings.PUBLIC_FORM_RATE_PER_IP = "10/h"
    event = make_event()
    url = reverse("events:detail", args=[event.pk])
    for n in range(10):
        assert client.post(url, {"reg-name": f"P{n}", "reg-email": f"p{n}@example.org"}).status_code == 302
    response = client.post(url, {"reg-name": "One more", "reg-email": "more@example.org"})
    assert response.status_code == 400 and "Too many registrations" in response.content.decode()
    assert 'value="One more"' in response.content.decode()  # what was typed is kept
    assert event.registrations.count() == 10


def test_anonymous_registrations_are_throttled_per_address(client, settings):
    settings.PUBLIC_FORM_RATE_PER_EMAIL = "3/h"
    for n in range(3):
        event = make_event(title=f"Webinar {n}")
        assert client.post(reverse("events:detail", args=[event.pk]),
                           {"reg-name": "Same", "reg-email": "same@example.org"}).status_code == 302
    fourth = make_event(title="Webinar 4")
    response = client.post(reverse("events:detail", args=[fourth.pk]), {"reg-name": "Same", "reg-email": "SAME@example.org"})
    assert response.status_code == 400 and not fourth.registrations.exists()


# --- Expired sessions: asked to sign in, nothing typed is lost --------------------------------------


def test_a_draft_posted_after_the_session_ended_is_shown_again_after_sign_in(client, kz, kz_fp):
    pledge = fill(pledge_services.start_pledge(country=kz, by=kz_fp), kz_fp)
    url = reverse("pledges:edit", args=[pledge.pk])
    data = {"title": "Typed while signed out", "vision": "Care close to home.",
            "commitments-TOTAL_FORMS": "0", "commitments-INITIAL_FORMS": "0"}
    response = client.post(url, data)
    assert outcome(response) == "login" and f"next={url}" in response["Location"].replace("%2F", "/")
    pledge.refresh_from_db()
    assert pledge.title != "Typed while signed out"
    response = client.post(response["Location"], {"login": kz_fp.email, "password": TEST_PASSWORD})
    assert response["Location"].endswith(url)
    page = client.get(url).content.decode()
    assert "Typed while signed out" in page and "not saved yet" in page
    pledge.refresh_from_db()
    assert pledge.title != "Typed while signed out"
    # Shown once: the next visit shows what is saved.
    assert "Typed while signed out" not in client.get(url).content.decode()


def test_the_edit_link_of_an_email_asks_a_signed_out_focal_point_to_sign_in(client, kz, kz_fp):
    pledge = pledge_services.start_pledge(country=kz, by=kz_fp)
    response = client.get(reverse("pledges:edit", args=[pledge.pk]))
    assert outcome(response) == "login"


def test_focal_point_sessions_last_two_weeks_and_staff_sessions_a_working_day(client, kz_fp, settings):
    client.post("/en/accounts/login/", {"login": kz_fp.email, "password": TEST_PASSWORD})
    assert client.session.get_expiry_age() == 14 * 24 * 3600
    client.logout()
    staff = StaffFactory()
    client.post("/en/accounts/login/", {"login": staff.email, "password": TEST_PASSWORD})
    client.get("/en/")
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_SECONDS


# --- Revert, bad input, the page cache -------------------------------------------------------------


def test_history_revert_is_disabled_on_rule_governed_records(client, kz):
    membership = Membership.objects.get(country=kz)
    record = membership.history.order_by("history_id").first()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:members_membership_simple_history", args=[membership.pk, record.history_id])
    expires = membership.expires_on
    response = client.post(url, {"country": kz.pk, "letter": membership.letter_id, "started_on": "2001-01-01",
                                 "expires_on": "2002-01-01"})
    membership.refresh_from_db()
    assert membership.expires_on == expires and membership.started_on != date(2001, 1, 1)
    assert response.status_code in (200, 302, 403)


@pytest.mark.parametrize("path", ["/en/countries/s%00n/", "/en/countries/%E2%80%AEsen/", "/en/reports/verify/AB%00CD/",
                                  "/en/invitations/%00/", "/en/events/registration/%00x/", "/en/countries/senegal/"])
def test_odd_characters_in_url_parts_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_upper_case_country_codes_redirect(client, kz):
    response = client.get("/en/countries/KAZ/")
    assert response.status_code == 301 and response["Location"] == "/en/countries/kaz/"


def test_huge_images_are_refused_before_they_are_decoded():
    import io

    from django.core.exceptions import ValidationError
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG", optimize=True)
    assert buffer.tell() < 5 * 1024 * 1024
    with pytest.raises(ValidationError, match="40 megapixels"):
        validate_photo(SimpleUploadedFile("big.png", buffer.getvalue()))


def test_a_forged_formset_count_is_refused_at_once(client, kz, kz_fp):
    pledge = pledge_services.start_pledge(country=kz, by=kz_fp)
    client.force_login(kz_fp)
    response = client.post(reverse("pledges:edit", args=[pledge.pk]), {
        "title": "x", "vision": "y", "commitments-TOTAL_FORMS": "100000", "commitments-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert len(response.context["formset"].forms) <= 30


@pytest.mark.parametrize("content, message", [
    (MINIMAL_PDF.replace(b"/Type/Catalog/Pages 2 0 R", b"/Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(x)>>"),
     "scripts or actions"),
    (b"<html><!-- %PDF-1.4 --><script>alert(1)</script></html>\n%%EOF", "not a PDF"),
])
def test_letters_with_scripts_or_fake_headers_are_refused(content, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        validate_pdf(SimpleUploadedFile("letter.pdf", content))


def test_the_page_cache_keeps_one_copy_whatever_unknown_parameters_are_sent(client, settings, kz):
    from django.core.cache import caches

    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()
    for n in range(20):
        client.get(f"/en/members/?region=EUR&utm={n}&zz={n}", HTTP_COOKIE=f"junk={n}", HTTP_ACCEPT_LANGUAGE=f"x-{n}")
    client.get("/en/members/?zz=1&region=EUR")
    assert len(caches["pages"]._cache) == 1  # LocMemCache in tests: one copy for all of them
