"""A secretariat officer records a letter, accepts it and sees the membership and its renewal date."""

import pytest

from tests.factories import TEST_PASSWORD, StaffFactory
from tests.members.pdfs import MINIMAL_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_record_letter_accept_and_see_membership(live_server, page, screenshot_dir, tmp_path):
    staff = StaffFactory(email="officer@example.org")
    pdf = tmp_path / "letter-ghana.pdf"
    pdf.write_bytes(MINIMAL_PDF)

    page.goto(live_server.url + "/en/admin/members/letterofinterest/add/")
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/letterofinterest/add/")

    # The country field is the admin's autocomplete (select2): type and pick, as a person does.
    page.click("#id_country + .select2 .select2-selection")
    page.fill(".select2-search__field", "Ghana")
    page.click(".select2-results__option:has-text('Ghana')")
    page.fill("input[name=received_on]", "2022-03-01")
    page.fill("input[name=contact_name]", "Dr Ama Mensah")
    page.fill("input[name=contact_email]", "ama@health.gh")
    page.set_input_files("input[name=letter]", str(pdf))
    page.screenshot(path=screenshot_dir / "membership-1-letter-form.png", full_page=True)
    page.click("input[name=_continue]")
    page.wait_for_selector("text=Accept (accession)")
    page.screenshot(path=screenshot_dir / "membership-2-letter-pending.png", full_page=True)

    page.click("text=Accept (accession)")
    # Accession asks once more, saying what it will do.
    page.wait_for_selector("text=becomes a member from 1 Mar 2022")
    page.screenshot(path=screenshot_dir / "membership-3-confirm-accession.png", full_page=True)
    page.click("input[value='Confirm the accession']")
    page.wait_for_selector("text=Accession recorded")
    content = page.content()
    assert "Ghana" in content
    assert "1 Mar 2027" in content  # the first term ends five years after the date received
    assert "Record notice" in content
    page.screenshot(path=screenshot_dir / "membership-3-membership.png", full_page=True)

    page.goto(live_server.url + "/en/admin/members/membership/calendar/")
    assert "Ghana" in page.content()
    page.screenshot(path=screenshot_dir / "membership-4-calendar.png", full_page=True)
