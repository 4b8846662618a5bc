"""Champions' titles and biographies in each language, falling back to the original, marked as such."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from members import core_group
from members.models import Champion, Country

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def champion(**fields):
    champion = core_group.save_champion(champion=Champion(country=Country.objects.get(iso2="KZ"), **fields))
    core_group.add_commitment(champion=champion, start=champion.created_at.date())
    return champion


def test_a_translated_title_and_biography_are_shown_in_the_readers_language(client):
    c = champion(name="H.E. Example", title="Minister of Health", biography="Led the PHC reform.")
    Champion.objects.filter(pk=c.pk).update(title_es="Ministra de Salud", biography_es="Dirigió la reforma de la APS.")
    page = text(client.get("/es/champions/"))
    assert '<span lang="es" dir="auto">Ministra de Salud</span>' in page
    assert '<div lang="es" dir="auto"><p>Dirigió la reforma de la APS.</p></div>' in page
    assert "original-language" not in page


def test_an_untranslated_biography_is_shown_in_its_original_language_with_a_mark(client):
    with translation.override("ru"):
        champion(name="Д-р Пример", title="Министр здравоохранения", biography="Руководил реформой ПМСП.",
                 original_language="ru")
    page = text(client.get("/en/champions/"))
    assert '<span lang="ru" dir="auto">Министр здравоохранения</span> <span class="original-language">(original in Russian)</span>' in page
    assert '<div lang="ru" dir="auto"><p>Руководил реформой ПМСП.</p></div>' in page


def test_a_champion_needs_a_title_in_the_original_language():
    with pytest.raises(ValidationError) as refused:
        champion(name="H.E. Example", title="Minister of Health", original_language="ar")
    assert "title_ar" in refused.value.message_dict
    assert not Champion.objects.exists()


def test_the_admin_edits_every_language_on_one_page(admin_client):
    page = admin_client.get(reverse("admin:members_champion_add")).content.decode()
    for code in ["en", "fr", "ru", "es", "ar", "zh_hans"]:
        assert f'name="title_{code}"' in page and f'name="biography_{code}"' in page
    assert 'name="original_language"' in page
