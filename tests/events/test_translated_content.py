"""Events' titles and descriptions in each language, falling back to the original, marked as such."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from events.models import Event
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_translated_title_and_description_are_shown_in_the_readers_language(client):
    event = make_event(title="Workshop on governance", description="Two hours on PHC governance.")
    Event.objects.filter(pk=event.pk).update(title_fr="Atelier sur la gouvernance",
                                             description_fr="Deux heures sur la gouvernance des SSP.")
    page = text(client.get(f"/fr/events/{event.pk}/"))
    assert '<span lang="fr" dir="auto">Atelier sur la gouvernance</span>' in page
    assert '<div lang="fr" dir="auto"><p>Deux heures sur la gouvernance des SSP.</p></div>' in page
    assert "original-language" not in page
    assert "Atelier sur la gouvernance" in text(client.get("/fr/events/"))
    english = text(client.get(f"/en/events/{event.pk}/"))
    assert '<span lang="en" dir="auto">Workshop on governance</span>' in english


def test_an_untranslated_text_falls_back_to_its_original_language_with_a_mark(client):
    # The language's name stands alone in the mark ("original : Russe"), as country names do.
    with translation.override("ru"):
        event = make_event(title="Семинар по управлению", description="Два часа об управлении ПМСП.",
                           original_language="ru")
    assert event.title_ru == "Семинар по управлению" and not event.title_en
    french = text(client.get(f"/fr/events/{event.pk}/"))
    assert '<span lang="ru" dir="auto">Семинар по управлению</span> <span class="original-language">(original : Russe)</span>' in french
    listing = text(client.get("/en/events/"))
    assert '<span lang="ru" dir="auto">Семинар по управлению</span> <span class="original-language">(original in Russian)</span>' in listing
    russian = text(client.get(f"/ru/events/{event.pk}/"))
    assert "original-language" not in russian


def test_an_event_needs_its_title_in_the_language_it_was_written_in():
    with pytest.raises(ValidationError) as refused:
        make_event(title="Workshop on governance", original_language="ru")  # English title, "Russian" original
    assert "title_ru" in refused.value.message_dict


def test_the_admin_edits_every_language_on_one_page(admin_client):
    page = admin_client.get(reverse("admin:events_event_add")).content.decode()
    for code in ["en", "fr", "ru", "es", "ar", "zh_hans"]:
        assert f'name="title_{code}"' in page and f'name="description_{code}"' in page
    assert 'name="original_language"' in page


def test_materials_are_titled_in_each_language_with_the_same_fallback(client):
    from events import services

    with translation.override("ru"):
        event = make_event(title="Заседание Основной группы", original_language="ru")
        agenda = services.add_material(event=event, kind="agenda", title="Повестка дня", url="https://example.org/a")
    Event.objects.filter(pk=event.pk).update(title_en="Core Group meeting")
    type(agenda).objects.filter(pk=agenda.pk).update(title_en="Agenda")
    english = text(client.get(f"/en/events/{event.pk}/"))
    assert '<span lang="en" dir="auto">Agenda</span>' in english
    french = text(client.get(f"/fr/events/{event.pk}/"))
    assert '<span lang="ru" dir="auto">Повестка дня</span> <span class="original-language">(original : Russe)</span>' in french
