"""The secretariat's review of a submitted pledge, on a phone and on a desktop: checklist, SMART scores, comments."""

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings

from pledges import services
from tests.factories import StaffFactory, member
from tests.pledges.conftest import COMMITMENTS, fill, make_focal_point, since

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_review_shows_the_gaps_and_fits_a_phone(live_server, browser, client, screenshot_dir):
    kz = member("KZ", since=since()).country
    fp = make_focal_point(kz)
    staff = StaffFactory()
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    pledge = services.start_pledge(country=kz, by=fp)
    fill(pledge, fp, commitments=[COMMITMENTS[0], dict(COMMITMENTS[1], responsible_institution="")])
    services.submit_pledge(pledge=pledge, by=fp)
    client.force_login(staff)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/en/pledges/{pledge.pk}/")
        review = page.inner_text(".review")
        assert "names a responsible institution: not commitment 2" in review
        assert "5/5" in review and "4/5" in review and "Achievable: no" in review
        page.screenshot(path=screenshot_dir / f"monitoring-06-review-{'phone' if width < 500 else 'desktop'}.png",
                        full_page=True)
        # Wide tables scroll inside their own box; the page itself never scrolls sideways.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        context.close()
