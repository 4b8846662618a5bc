"""Correspondence on the record: the welcome on accession, notices and withdrawals with their letters."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coalition import mail
from coalition.models import OutgoingMail
from members import services
from members.models import Country, Notice
from pledges import services as pledge_services
from tests.factories import UserFactory, member
from tests.members.pdfs import MINIMAL_PDF, NOT_A_PDF

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def deliver():
    services.send_due_reminders(today=TODAY)
    mail.deliver_due()


def pdf(name="notice.pdf", content=MINIMAL_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_accession_welcomes_the_contact_in_their_language_with_the_dates(mailoutbox, settings):
    letter = services.record_letter(country=Country.objects.get(iso2="SN"), received_on=date(2026, 11, 2),
                                    contact_name="Dr Awa Ndiaye", contact_email="awa@sante.sn", contact_language="fr")
    deliver()
    assert mailoutbox == []  # nothing before the letter is accepted
    services.accept_letter(letter=letter)
    deliver()
    deliver()  # a second run sends nothing more
    [welcome] = mailoutbox
    assert welcome.to == ["awa@sante.sn"] and welcome.cc == [settings.SECRETARIAT_EMAIL]
    assert "Sénégal" in welcome.subject
    # In French: the letter's date, the start, the term's end and its notice deadline.
    for text in ["2 novembre 2026", "2 novembre 2031", "2 mai 2031"]:
        assert text in welcome.body, text
    row = OutgoingMail.objects.get(kind="members/welcome")
    assert row.about == letter.membership  # shown among the e-mails on the membership page


def test_the_welcome_also_reaches_focal_points_named_before_it_goes_out(mailoutbox):
    membership = member("GH", since=date(2026, 11, 20), contact_email="contact@health.gh", welcomed=False)
    focal_point = UserFactory(email="fp@health.gh", language="en")
    pledge_services.add_focal_point(country=membership.country, user=focal_point)
    deliver()
    [welcome] = mailoutbox
    assert welcome.to == ["contact@health.gh", "fp@health.gh"]


def test_notice_with_its_scanned_letter_reference_and_note(staff_client, mailoutbox):
    m = member("KZ", since=date(2024, 3, 1))
    deliver()
    mailoutbox.clear()
    response = staff_client.post(reverse("admin:members_membership_notice", args=[m.pk]), {
        "received_on": "2026-11-20", "document": pdf(), "reference": "MFA-KZ/2026/114",
        "note": "Delivered by hand to the Secretariat.",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    notice = Notice.objects.get()
    assert notice.reference == "MFA-KZ/2026/114" and notice.note == "Delivered by hand to the Secretariat."
    assert notice.document.name.startswith("notices/2026/")
    deliver()
    [acknowledgement] = mailoutbox
    assert "Your reference: MFA-KZ/2026/114" in acknowledgement.body
    assert "Delivered by hand" not in acknowledgement.body  # the note is the Secretariat's own
    page = staff_client.get(reverse("admin:members_membership_change", args=[m.pk])).content.decode()
    assert "MFA-KZ/2026/114" in page and "Delivered by hand to the Secretariat." in page
    file_url = reverse("members:notice-file", args=[notice.pk])
    assert file_url in page
    response = staff_client.get(file_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_a_notice_letter_that_is_not_a_pdf_is_refused_and_what_was_typed_is_kept(staff_client):
    m = member("KZ", since=date(2024, 3, 1))
    response = staff_client.post(reverse("admin:members_membership_notice", args=[m.pk]), {
        "received_on": "2026-11-20", "document": pdf(content=NOT_A_PDF), "reference": "MFA-KZ/2026/114",
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "not a PDF document" in page and 'value="MFA-KZ/2026/114"' in page and 'value="2026-11-20"' in page
    assert not Notice.objects.exists()


def test_the_service_checks_the_letter_too():
    from django.core.exceptions import ValidationError

    m = member("KZ", since=date(2024, 3, 1))
    with pytest.raises(ValidationError):
        services.give_notice(membership=m, received_on=TODAY, document=pdf(content=NOT_A_PDF))
    assert not Notice.objects.exists()


def test_a_withdrawal_is_recorded_with_its_letter_and_confirmed_to_the_country(staff_client, mailoutbox):
    m = member("KZ", since=date(2024, 3, 1), contact_email="contact@health.kz", contact_language="ru")
    services.give_notice(membership=m, received_on=date(2026, 11, 2), reference="MFA/1")
    deliver()
    mailoutbox.clear()
    response = staff_client.post(reverse("admin:members_membership_withdraw", args=[m.pk]), {
        "on": "2026-11-25", "document": pdf("withdrawal.pdf"), "reference": "MFA/2", "note": "By diplomatic note.",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    notice = Notice.objects.get()
    assert (notice.withdrawn_on, notice.withdrawal_reference, notice.withdrawal_note) == (
        date(2026, 11, 25), "MFA/2", "By diplomatic note.")
    assert notice.withdrawal_document.name.startswith("notices/2026/")
    deliver()
    deliver()
    [confirmation] = mailoutbox
    assert confirmation.to == ["contact@health.kz"]
    assert "25 ноября 2026" in confirmation.body and "MFA/2" in confirmation.body
    assert "1 марта 2029" in confirmation.body  # the term that now renews
    page = staff_client.get(reverse("admin:members_membership_change", args=[m.pk])).content.decode()
    assert reverse("members:withdrawal-file", args=[notice.pk]) in page and "By diplomatic note." in page
    assert staff_client.get(reverse("members:withdrawal-file", args=[notice.pk])).status_code == 200


def test_letters_of_a_notice_without_a_scan_are_not_found(staff_client):
    m = member("KZ", since=date(2024, 3, 1))
    services.give_notice(membership=m, received_on=TODAY)
    notice = Notice.objects.get()
    assert staff_client.get(reverse("members:notice-file", args=[notice.pk])).status_code == 404
    assert staff_client.get(reverse("members:withdrawal-file", args=[notice.pk])).status_code == 404
