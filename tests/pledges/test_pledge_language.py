"""A pledge keeps the language it was written in, may carry an English summary, and says which."""

import re

import pytest
from django.urls import reverse

from pledges import services
from tests.pledges.conftest import fill, make_focal_point, publish
from tests.pledges.test_views import formset_data

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_pledge_starts_in_the_language_its_focal_point_works_in(kz):
    fp = make_focal_point(kz, email="fp@kz.example.org", language="ru")
    assert services.start_pledge(country=kz, by=fp).language == "ru"


def test_the_focal_point_sets_the_language_and_an_english_summary_in_the_form(client, kz):
    fp = make_focal_point(kz, email="fp@kz.example.org", language="en")
    pledge = services.start_pledge(country=kz, by=fp)
    fill(pledge, fp)
    client.force_login(fp)
    response = client.post(reverse("pledges:edit", args=[pledge.pk]), formset_data(
        pledge, language="ru", summary_en="Care close to home for every family by 2030."))
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert (pledge.language, pledge.summary_en) == ("ru", "Care close to home for every family by 2030.")


def test_public_pages_say_which_language_the_pledge_is_in(client, kz, secretariat):
    fp = make_focal_point(kz, email="fp@kz.example.org", language="ru")
    pledge = publish(kz, fp, secretariat)
    type(pledge).objects.filter(pk=pledge.pk).update(summary_en="Care close to home for every family.")
    english = text(client.get(f"/en/pledges/{pledge.pk}/"))
    assert f'<h1 lang="ru" dir="auto">{pledge.title}</h1>' in english
    assert "Language of the pledge: Russian" in english
    assert '<div class="summary" lang="en" dir="ltr"><p>Care close to home for every family.</p></div>' in english
    assert '<div class="vision" lang="ru" dir="auto">' in english
    russian = text(client.get(f"/ru/pledges/{pledge.pk}/"))
    assert 'class="summary"' not in russian
    assert '<h3 class="pledge-title" lang="ru" dir="auto">' in text(client.get("/en/countries/kaz/"))


def test_what_is_typed_in_the_forms_keeps_its_own_direction(client, kz):
    fp = make_focal_point(kz, email="fp@kz.example.org")
    pledge = fill(services.start_pledge(country=kz, by=fp), fp)
    client.force_login(fp)
    page = client.get(f"/ar/pledges/{pledge.pk}/edit/").content.decode()
    assert re.search(r'<textarea name="vision"[^>]* dir="auto"', page)
    assert re.search(r'<input type="text" name="title"[^>]* dir="auto"', page)
    assert re.search(r'<textarea name="commitments-0-description"[^>]* dir="auto"', page)
