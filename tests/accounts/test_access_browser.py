"""As people would meet the access policy, in Debian's chromium: an ended session, a delegate to confirm."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events import services as event_services
from pledges import services as pledge_services
from tests.events.conftest import make_event
from tests.factories import TEST_PASSWORD, UserFactory, member
from tests.pledges.conftest import fill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, email):
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form[action$='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def test_a_focal_point_whose_session_ended_keeps_what_they_typed(live_server, browser, screenshot_dir):
    kz = member("KZ", since=timezone.localdate() - timedelta(days=365)).country
    person = UserFactory(email="aigerim@health.kz", full_name="Aigerim N.")
    pledge_services.add_focal_point(country=kz, user=person)
    pledge = fill(pledge_services.start_pledge(country=kz, by=person), person)
    edit = f"{live_server.url}/en/pledges/{pledge.pk}/edit/"

    for name, viewport in [("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1280, "height": 900})]:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live_server.url}/en/accounts/login/")
        sign_in(page, person.email)
        page.goto(edit)
        page.fill("#id_title", f"Typed on the {name}, then the session ended")
        # The session ends while the form is open (the cookie goes, as after two weeks away).
        context.clear_cookies(name="sessionid")
        page.click("button[name=action][value=save]")
        page.wait_for_load_state()
        assert "/accounts/login/" in page.url
        assert "what you typed is kept" in page.inner_text("body")
        page.screenshot(path=screenshot_dir / f"access-expired-{name}-1-sign-in.png", full_page=True)
        sign_in(page, person.email)
        assert page.url.startswith(edit)
        assert page.input_value("#id_title") == f"Typed on the {name}, then the session ended"
        assert "not saved yet" in page.inner_text("main")
        page.screenshot(path=screenshot_dir / f"access-expired-{name}-2-restored.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
        page.click("button[name=action][value=save]")
        page.wait_for_load_state()
        pledge.refresh_from_db()
        assert pledge.title == f"Typed on the {name}, then the session ended"
        context.close()


def test_a_focal_point_confirms_a_delegate_who_named_the_country(live_server, browser, screenshot_dir):
    kz = member("KZ", since=timezone.localdate() - timedelta(days=365)).country
    person = UserFactory(email="aigerim@health.kz")
    pledge_services.add_focal_point(country=kz, user=person)
    event = make_event(title="Workshop on PHC financing")
    claimed = event_services.register(event=event, name="Dana K.", email="dana@example.org", country=kz)

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/en/accounts/login/?next=/en/events/{event.pk}/")
    sign_in(page, person.email)
    assert "not yet confirmed as your delegate" in page.inner_text("main")
    page.screenshot(path=screenshot_dir / "access-delegate-1-to-confirm.png", full_page=True)
    page.click("text=Confirm Dana K. as delegate")
    page.wait_for_load_state()
    assert "is confirmed as a delegate of Kazakhstan" in page.inner_text("main")
    page.screenshot(path=screenshot_dir / "access-delegate-2-confirmed.png", full_page=True)
    claimed.refresh_from_db()
    assert claimed.is_delegate
    context.close()
