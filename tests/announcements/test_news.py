"""The public news page and its Atom feed: public announcements once sent, in the reader's language."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse

from announcements import services
from tests.announcements.conftest import draft

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _sent(title, *, public=True, days_ago=0, **fields):
    announcement = draft(public=public, audiences=["subscribers"], title_en=title, **fields)
    services.send(announcement=announcement)
    if days_ago:
        from announcements.models import Announcement

        moment = announcement.sent_at - timedelta(days=days_ago)
        Announcement.objects.filter(pk=announcement.pk).update(sent_at=moment)
    return announcement


def test_the_news_page_lists_public_sent_announcements_newest_first(client):
    _sent("Older news", days_ago=3)
    _sent("Latest news")
    _sent("Members only", public=False)
    draft(public=True, title_en="Still a draft")
    html = client.get("/en/news/").content.decode()
    assert html.index("Latest news") < html.index("Older news")
    assert "Members only" not in html and "Still a draft" not in html
    assert 'type="application/atom+xml"' in html
    # The site's menu leads to it.
    assert 'href="/en/news/"' in client.get("/en/").content.decode()


def test_the_news_page_takes_the_same_queries_for_more_news(client, django_assert_max_num_queries):
    for n in range(3):
        _sent(f"News {n}")
    with django_assert_max_num_queries(6) as few:
        client.get("/en/news/")
    for n in range(12):
        _sent(f"More news {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/en/news/")
    assert response.status_code == 200 and 'rel="next"' in response.content.decode()


def test_a_news_item_in_the_reader_language_or_the_original(client):
    news = _sent("Coalition meets in Astana", languages=["en", "fr"], title_fr="La Coalition se réunit à Astana",
                 body_fr="Texte en français.")
    french = client.get(f"/fr/news/{news.pk}/").content.decode()
    assert "La Coalition se réunit à Astana" in french and 'lang="fr"' in french
    assert "Texte en français." in french
    russian = client.get(f"/ru/news/{news.pk}/").content.decode()
    assert "Coalition meets in Astana" in russian and 'lang="en"' in russian
    assert "original-language" in russian  # marked as the original, for want of a translation


def test_drafts_and_members_only_news_are_not_found(client):
    assert client.get(reverse("announcements:detail", args=[draft(public=True).pk])).status_code == 404
    assert client.get(reverse("announcements:detail", args=[_sent("Closed", public=False).pk])).status_code == 404


def test_the_atom_feed_is_valid_has_only_public_news_and_speaks_the_language(client):
    _sent("Public news", languages=["en", "fr"], title_fr="Nouvelles publiques", body_fr="Le texte.")
    _sent("English only")
    _sent("Members only", public=False)
    response = client.get("/fr/news/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    entries = feed.findall(f"{ATOM}entry")
    assert sorted(e.find(f"{ATOM}title").text for e in entries) == ["English only", "Nouvelles publiques"]
    for entry in entries:
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/fr/news/")
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/fr/news/feed.atom")
