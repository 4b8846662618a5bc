"""The whole pledge journey in Debian's chromium: invitation, drafting, review, publication."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from pledges import services
from pledges.models import Pledge
from tests.factories import TEST_PASSWORD, StaffFactory, member
from tests.pledges.conftest import since

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a-long-focal-point-passphrase"


def fill_commitment(page, i, *, description, strategic, operational, components, target_date):
    prefix = f"commitments-{i}"
    page.fill(f"#id_{prefix}-description", description)
    for value in strategic:
        page.check(f"input[name='{prefix}-strategic_levers'][value='{value}']")
    for value in operational:
        page.check(f"input[name='{prefix}-operational_levers'][value='{value}']")
    for value in components:
        page.check(f"input[name='{prefix}-components'][value='{value}']")
    page.fill(f"#id_{prefix}-target_date", target_date)
    page.fill(f"#id_{prefix}-responsible_institution", "Ministry of Health")
    page.check(f"#id_{prefix}-no_budget_needed")
    page.fill(f"#id_{prefix}-indicators-0-name", f"Indicator of commitment {i + 1}")
    page.fill(f"#id_{prefix}-indicators-0-baseline_value", "40")
    page.fill(f"#id_{prefix}-indicators-0-baseline_year", "2023")
    page.fill(f"#id_{prefix}-indicators-0-target_value", "80")
    page.fill(f"#id_{prefix}-indicators-0-target_year", "2029")


def sign_in(page, base, email, password):
    page.goto(base + "/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form[action$='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def test_pledge_journey(live_server, browser, page, screenshot_dir):
    base = live_server.url
    shot = lambda p, name: p.screenshot(path=screenshot_dir / f"pledges-{name}.png", full_page=True)  # noqa: E731
    kz = member("KZ", since=since()).country
    staff = StaffFactory(email="reviewer@example.org")
    services.invite_focal_point(country=kz, email="aigerim@health.kz", name="Aigerim N.", language="en", by=staff)
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)
    link = base + link[link.index("/en/"):]

    # The invitee accepts, chooses a password and lands on the dashboard.
    page.goto(link)
    assert "Become a focal point of Kazakhstan" in page.inner_text("h1")
    shot(page, "01-invitation")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/en/dashboard/")
    assert "Focal point dashboard" in page.inner_text("h1")
    assert "Renews automatically on" in page.content()
    shot(page, "02-dashboard")

    # A pledge with two commitments; the second first fails validation and keeps its input.
    page.click("text=Start the pledge")
    page.wait_for_url("**/edit/")
    page.fill("#id_title", "Primary health care for every family")
    page.fill("#id_vision", "Every family registered with a PHC team close to home.")
    future = (timezone.localdate() + timedelta(days=900)).isoformat()
    fill_commitment(page, 0, description="Register every resident with a PHC team.", strategic=["political_commitment"],
                    operational=["models_of_care", "digital"], components=["integrated_services"], target_date=future)
    page.click("button[value=save]")
    page.wait_for_load_state()
    assert "The draft was saved." in page.content()
    shot(page, "03-draft-saved")

    past = (timezone.localdate() - timedelta(days=10)).isoformat()
    fill_commitment(page, 1, description="Raise the PHC share of health spending.", strategic=["funding"],
                    operational=["purchasing"], components=["multisectoral"], target_date=past)
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert "The target date must be in the future." in page.content()
    assert page.input_value("#id_commitments-1-description") == "Raise the PHC share of health spending."
    assert page.is_checked("input[name='commitments-1-operational_levers'][value='purchasing']")
    assert page.input_value("#id_title") == "Primary health care for every family"
    shot(page, "04-validation-error")
    page.fill("#id_commitments-1-target_date", future)
    page.click("button[value=submit]")
    page.wait_for_url(re.compile(r".*/en/pledges/\d+/$"))
    assert "submitted to the secretariat" in page.content()
    shot(page, "05-submitted")
    pledge = Pledge.objects.get()
    assert pledge.status == Pledge.Status.SUBMITTED and pledge.commitments.count() == 2

    # The secretariat returns it with a comment.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff_page = staff_context.new_page()
    sign_in(staff_page, base, staff.email, TEST_PASSWORD)
    staff_page.goto(f"{base}/en/pledges/{pledge.pk}/")
    staff_page.fill("#id_comment", "Please make the second target more ambitious.")
    shot(staff_page, "06-review")
    staff_page.click("button[value=return]")
    staff_page.wait_for_load_state()
    assert "returned to the focal points" in staff_page.content()

    # The focal point sees the comment, fixes the draft and resubmits.
    page.goto(f"{base}/en/pledges/{pledge.pk}/edit/")
    assert "Please make the second target more ambitious." in page.content()
    shot(page, "07-returned")
    page.fill("#id_commitments-1-indicators-0-target_value", "95")
    page.click("button[value=submit]")
    page.wait_for_url(re.compile(r".*/en/pledges/\d+/$"))

    # The secretariat sees what changed, accepts and publishes.
    staff_page.goto(f"{base}/en/pledges/{pledge.pk}/")
    staff_page.click("text=Changes in version 2")
    staff_page.wait_for_load_state()
    assert "Target: 95% (2029)" in staff_page.inner_text(".diff-added")
    shot(staff_page, "08-changes")
    staff_page.goto(f"{base}/en/pledges/{pledge.pk}/")
    staff_page.click("button[value=accept]")
    staff_page.wait_for_load_state()
    staff_page.click("button[value=publish]")
    staff_page.wait_for_load_state()
    assert "The pledge was published." in staff_page.content()
    staff_context.close()

    # The public country page shows it.
    public = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    public_page = public.new_page()
    public_page.goto(f"{base}/en/countries/kaz/")
    content = public_page.content()
    assert "Primary health care for every family" in content
    assert "Raise the PHC share of health spending." in content and "95%" in content
    assert "aigerim@health.kz" not in content
    shot(public_page, "09-country-page")
    public_page.goto(f"{base}/en/pledges/")
    assert "Kazakhstan" in public_page.content()
    public.close()
