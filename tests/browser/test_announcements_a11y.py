"""WCAG 2.1 AA (axe-core) on the news and newsletter pages, as tests/a11y does for the other public pages."""

import pytest

from announcements import services, tokens
from tests.a11y.axe import assert_no_violations
from tests.announcements.conftest import draft, subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def news(transactional_db):
    announcement = draft(public=True, audiences=["subscribers"], languages=["en", "ar"], title_ar="أخبار التحالف",
                         body_ar="نص الإعلان.")
    services.send(announcement=announcement)
    person = subscriber("reader@example.org")
    return {"news": announcement, "unsubscribe": tokens.unsubscribe(person.pk),
            "confirm": tokens.confirmation(person, "en")}


PAGES = [
    ("news", lambda n: "/en/news/"),
    ("news-item-ar", lambda n: f"/ar/news/{n['news'].pk}/"),
    ("news-item-fallback", lambda n: f"/ru/news/{n['news'].pk}/"),
    ("subscribe", lambda n: "/en/news/subscribe/"),
    ("subscribe-sent", lambda n: "/fr/news/subscribe/sent/"),
    ("confirm", lambda n: f"/en/news/subscribe/confirm/{n['confirm']}/"),
    ("unsubscribe", lambda n: f"/en/news/unsubscribe/{n['unsubscribe']}/"),
    ("invalid-link", lambda n: "/en/news/unsubscribe/not-a-token/"),
]


@pytest.mark.parametrize("path", [pytest.param(p, id=name) for name, p in PAGES])
def test_news_page_has_no_wcag_violations(request, news, live_server, page, path):
    response = page.goto(live_server.url + path(news))
    assert response.status in (200, 400)
    assert_no_violations(page, name=request.node.callspec.id)
