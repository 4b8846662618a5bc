"""The secretariat's admin for letters and memberships, through HTTP: who may, who may not."""

import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Country, LetterOfInterest, Membership
from tests.factories import StaffFactory, UserFactory, member
from tests.members.pdfs import MINIMAL_PDF, NOT_A_PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 11, 28), tick=False):
        yield date(2026, 11, 28)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def letter_form(**overrides):
    data = {
        "country": Country.objects.get(iso2="GH").pk,
        "received_on": "2026-11-02",
        "contact_name": "Dr Ama Mensah",
        "contact_title": "Director, PHC",
        "contact_email": "ama@health.gh",
        "contact_phone": "+233 30 000 0000",
        "contact_language": "en",
        "letter": SimpleUploadedFile("letter.pdf", MINIMAL_PDF, content_type="application/pdf"),
    }
    data.update(overrides)
    return data


def test_staff_record_a_letter_with_its_pdf(staff_client, settings):
    response = staff_client.post(reverse("admin:members_letterofinterest_add"), letter_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    letter = LetterOfInterest.objects.get()
    assert letter.status == "pending" and letter.letter.name.startswith("letters/2026/")
    # Stored outside MEDIA_ROOT: no public URL leads to it.
    assert str(settings.PRIVATE_MEDIA_ROOT) in letter.letter.path
    assert not letter.letter.path.startswith(str(settings.MEDIA_ROOT))


def test_a_file_that_is_not_a_pdf_is_refused_and_the_form_keeps_the_input(staff_client):
    response = staff_client.post(
        reverse("admin:members_letterofinterest_add"),
        letter_form(letter=SimpleUploadedFile("letter.pdf", NOT_A_PDF, content_type="application/pdf")),
    )
    assert response.status_code == 200
    assert "not a PDF document" in response.content.decode()
    assert 'value="Dr Ama Mensah"' in response.content.decode()
    assert not LetterOfInterest.objects.exists()


def test_a_pdf_over_ten_megabytes_is_refused(staff_client):
    big = MINIMAL_PDF[:-6] + b" " * (10 * 1024 * 1024) + b"%%EOF\n"
    response = staff_client.post(
        reverse("admin:members_letterofinterest_add"),
        letter_form(letter=SimpleUploadedFile("letter.pdf", big, content_type="application/pdf")),
    )
    assert response.status_code == 200
    assert "at most 10.0" in response.content.decode()
    assert not LetterOfInterest.objects.exists()


def test_the_admin_form_requires_the_pdf(staff_client):
    data = letter_form()
    del data["letter"]
    response = staff_client.post(reverse("admin:members_letterofinterest_add"), data)
    assert response.status_code == 200 and not LetterOfInterest.objects.exists()


def test_accept_starts_the_membership(staff_client, staff):
    staff_client.post(reverse("admin:members_letterofinterest_add"), letter_form())
    letter = LetterOfInterest.objects.get()
    response = staff_client.post(reverse("admin:members_letter_accept", args=[letter.pk]))
    membership = Membership.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:members_membership_change", args=[membership.pk])
    assert membership.started_on == date(2026, 11, 2) and membership.expires_on == date(2031, 11, 2)
    assert membership.history.first().history_user == staff


def test_accepting_for_a_country_already_member_shows_the_reason(staff_client):
    # Recorded while Ghana was not a member; Ghana then acceded by another letter.
    staff_client.post(reverse("admin:members_letterofinterest_add"), letter_form())
    letter = LetterOfInterest.objects.get(status="pending")
    member("GH", since=date(2025, 1, 1))
    response = staff_client.post(reverse("admin:members_letter_accept", args=[letter.pk]), follow=True)
    assert "already a member" in response.content.decode()
    assert Membership.objects.count() == 1


def test_decline_with_a_reason(staff_client):
    staff_client.post(reverse("admin:members_letterofinterest_add"), letter_form())
    letter = LetterOfInterest.objects.get()
    url = reverse("admin:members_letter_decline", args=[letter.pk])
    assert "This field is required" in staff_client.post(url, {"reason": ""}).content.decode()
    staff_client.post(url, {"reason": "Unsigned copy"})
    letter.refresh_from_db()
    assert (letter.status, letter.decline_reason) == ("declined", "Unsigned copy")


def test_record_and_withdraw_notice_from_the_membership_page(staff_client):
    m = member("KZ", since=date(2022, 1, 10))
    page = staff_client.get(reverse("admin:members_membership_change", args=[m.pk])).content.decode()
    assert "Record notice" in page
    bad = staff_client.post(reverse("admin:members_membership_notice", args=[m.pk]), {"received_on": "2027-01-01"})
    assert "in the future" in bad.content.decode() and 'value="2027-01-01"' in bad.content.decode()
    staff_client.post(reverse("admin:members_membership_notice", args=[m.pk]), {"received_on": "2026-06-01"})
    m.refresh_from_db()
    assert m.ends_on == date(2027, 1, 10)
    staff_client.post(reverse("admin:members_membership_withdraw", args=[m.pk]), {"on": "2026-11-01"})
    m.refresh_from_db()
    assert m.ends_on is None


def test_membership_page_shows_terms_notices_reminders_and_history(staff_client):
    m = member("KZ", since=date(2015, 6, 1))
    page = staff_client.get(reverse("admin:members_membership_change", args=[m.pk])).content.decode()
    assert "1 Jun 2030" in page and "Term renewed" in page
    history = staff_client.get(reverse("admin:members_membership_history", args=[m.pk]))
    assert history.status_code == 200


def test_membership_list_filters(staff_client):
    member("KZ", since=date(2022, 1, 10))  # term ends 2027-01-10, deadline 2026-07-10: passed
    member("FR", since=date(2022, 6, 1))  # term ends 2027-06-01, deadline 2026-12-01: within 3 months
    member("BR", since=date(2025, 1, 1))  # ends 2030
    url = reverse("admin:members_membership_changelist")
    expiring = staff_client.get(url, {"expiring": "12m"}).context["cl"].result_list
    assert {m.country.iso2 for m in expiring} == {"KZ", "FR"}
    deadline = staff_client.get(url, {"deadline": "3m"}).context["cl"].result_list
    assert {m.country.iso2 for m in deadline} == {"FR"}
    europe = staff_client.get(url, {"country__who_region__exact": "EUR"}).context["cl"].result_list
    assert {m.country.iso2 for m in europe} == {"KZ", "FR"}
    found = staff_client.get(url, {"q": "Brazil"}).context["cl"].result_list
    assert [m.country.iso2 for m in found] == ["BR"]
    active = staff_client.get(url, {"status": "active"}).context["cl"].result_list
    assert len(active) == 3


def test_membership_list_queries_do_not_grow_with_members(staff_client, django_assert_max_num_queries):
    url = reverse("admin:members_membership_changelist")
    member("KZ")
    staff_client.get(url)
    with django_assert_max_num_queries(12) as few:
        staff_client.get(url)
    for iso2 in ["FR", "BR", "GH", "IN", "JP", "MX", "NG", "PE", "TH"]:
        member(iso2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(url)


def test_renewal_calendar(staff_client):
    member("KZ", since=date(2022, 1, 10))
    member("FR", since=date(2022, 6, 1))
    page = staff_client.get(reverse("admin:members_membership_calendar")).content.decode()
    assert "Renewal calendar" in page
    assert "10 Jan 2027" in page and "1 Dec 2026" in page and "1 Jun 2027" in page


@pytest.mark.parametrize("who, refused", [("anonymous", 302), ("user", 403), ("staff_without_group", 403)])
def test_only_secretariat_staff_reach_letters_and_memberships(client, who, refused):
    m = member("KZ")
    pending = LetterOfInterest.objects.create(country=Country.objects.get(iso2="GH"), received_on=date(2026, 1, 1))
    if who == "user":
        client.force_login(UserFactory())
    elif who == "staff_without_group":
        client.force_login(UserFactory(is_staff=True))
    for url in [reverse("admin:members_letterofinterest_changelist"), reverse("admin:members_membership_calendar"),
                reverse("admin:members_membership_notice", args=[m.pk]),
                reverse("admin:members_membership_withdraw", args=[m.pk]),
                reverse("admin:members_letter_decline", args=[pending.pk]),
                reverse("admin:members_coregroup_rotation")]:
        response = client.get(url, follow=who != "anonymous")
        assert response.status_code == refused, url
    client.post(reverse("admin:members_letter_accept", args=[pending.pk]), follow=True)
    client.post(reverse("admin:members_membership_notice", args=[m.pk]), {"received_on": "2026-06-01"}, follow=True)
    pending.refresh_from_db()
    m.refresh_from_db()
    assert pending.status == "pending" and m.ends_on is None  # nothing changed


def test_a_letter_dated_in_the_future_is_refused_in_the_form(staff_client):
    response = staff_client.post(reverse("admin:members_letterofinterest_add"), letter_form(received_on="2026-12-01"))
    assert response.status_code == 200
    assert "is in the future" in response.content.decode()
    assert 'value="Dr Ama Mensah"' in response.content.decode()
    assert not LetterOfInterest.objects.exists()


def test_a_recorded_letter_has_its_history_user(staff_client, staff):
    staff_client.post(reverse("admin:members_letterofinterest_add"), letter_form())
    assert LetterOfInterest.objects.get().history.first().history_user == staff


def test_letter_file_is_served_to_secretariat_staff_only(client, staff_client):
    staff_client.post(reverse("admin:members_letterofinterest_add"), letter_form())
    letter = LetterOfInterest.objects.get()
    url = reverse("members:letter-file", args=[letter.pk])
    response = staff_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]
    staff_client.logout()
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 200


def test_accepted_letter_offers_to_invite_its_contact_as_focal_point(staff_client):
    m = member("GH", since=date(2025, 1, 1), contact_name="Dr Ama Mensah", contact_email="ama@health.gh")
    page = staff_client.get(reverse("admin:members_letterofinterest_change", args=[m.letter.pk])).content.decode()
    assert "Invite the contact as focal point" in page
    assert "email=ama%40health.gh" in page
    invite = staff_client.get(reverse("admin:pledges_invitation_add"),
                              {"country": m.country.pk, "email": "ama@health.gh", "name": "Dr Ama Mensah"})
    assert 'value="ama@health.gh"' in invite.content.decode()


def test_letters_inbox_queries_do_not_grow_with_letters(staff_client, django_assert_max_num_queries):
    url = reverse("admin:members_letterofinterest_changelist")
    LetterOfInterest.objects.create(country=Country.objects.get(iso2="GH"), received_on=date(2026, 1, 1))
    staff_client.get(url)
    with django_assert_max_num_queries(20) as few:
        staff_client.get(url)
    for iso2 in ["FR", "BR", "IN", "JP", "MX", "NG", "PE", "TH"]:
        LetterOfInterest.objects.create(country=Country.objects.get(iso2=iso2), received_on=date(2026, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(url, {"status__exact": "pending"})


def test_admin_lists_countries_in_the_staff_members_language_and_order(admin_client):
    from tests.factories import member

    for iso2 in ["ZM", "ES", "EG"]:
        member(iso2)
    # 194 countries, 100 to a page: in code-point order the "É" names would fall after "Zimbabwe".
    page = admin_client.get("/fr/admin/members/country/").content.decode()
    positions = [page.index(name) for name in ["Égypte", "Espagne", "Estonie"]]
    assert positions == sorted(positions)
    memberships = admin_client.get("/fr/admin/members/membership/").content.decode()
    positions = [memberships.index(name) for name in ["Égypte", "Espagne", "Zambie"]]
    assert positions == sorted(positions)


def test_a_letter_from_a_country_that_is_already_a_member_is_refused_when_recorded(staff_client):
    from tests.factories import member

    member("GH", since=date(2024, 3, 1))
    response = staff_client.post(reverse("admin:members_letterofinterest_add"), letter_form())
    assert response.status_code == 200
    page = response.content.decode()
    assert "is already a member (since 1 Mar 2024)" in page
    assert 'value="Dr Ama Mensah"' in page  # what was typed is kept
    assert LetterOfInterest.objects.count() == 1  # the member's own letter only


def test_a_letter_must_name_its_contact_person(staff_client):
    response = staff_client.post(reverse("admin:members_letterofinterest_add"), letter_form(contact_name=""))
    assert response.status_code == 200
    assert not LetterOfInterest.objects.exists()
    from django.core.exceptions import ValidationError

    from members import services

    with pytest.raises(ValidationError) as refused:
        services.record_letter(country=Country.objects.get(iso2="GH"), received_on=date(2026, 11, 2))
    assert "contact_name" in refused.value.message_dict


def test_accepting_a_letter_asks_for_confirmation_first(staff_client):
    staff_client.post(reverse("admin:members_letterofinterest_add"), letter_form())
    letter = LetterOfInterest.objects.get()
    page = staff_client.get(reverse("admin:members_letter_accept", args=[letter.pk])).content.decode()
    assert "Ghana becomes a member from 2 Nov 2026" in page and "ends on 2 Nov 2031" in page
    assert 'value="Confirm the accession"' in page
    letter.refresh_from_db()
    assert letter.status == "pending"


def test_a_late_notice_and_a_withdrawal_are_explained_on_the_membership_page(staff_client):
    # Term ends 10 Jan 2027, notice deadline 10 Jul 2026: notice on 1 Sep 2026 is late.
    m = member("KZ", since=date(2022, 1, 10))
    response = staff_client.post(reverse("admin:members_membership_notice", args=[m.pk]), {"received_on": "2026-09-01"},
                                 follow=True)
    page = response.content.decode()
    explained = ("Received after the notice deadline of 10 Jul 2026: the membership renews once more, for the term "
                 "from 10 Jan 2027, and ends on 10 Jan 2032.")
    assert f"Notice recorded. {explained}" in page  # the message
    rows = [re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r'field-what_it_means">(.*?)</td>', page, re.DOTALL)]
    assert rows == [f"<p>{explained}</p>"]  # the notice's row
    staff_client.post(reverse("admin:members_membership_withdraw", args=[m.pk]), {"on": "2026-11-01"})
    page = staff_client.get(reverse("admin:members_membership_change", args=[m.pk])).content.decode()
    assert "Withdrawn on 1 Nov 2026: the membership renews automatically again." in page
    assert "ends on 10 Jan 2032" not in page
