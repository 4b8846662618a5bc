"""The six UN languages: prefixes, the browser's choice, CLDR country names, collation, dates, errors."""

import re
from datetime import date

import pytest
import time_machine
from django.test import override_settings

from members import names
from tests.factories import member


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("accept, prefix", [
    ("es-ES,es;q=0.9", "/es/"), ("ar", "/ar/"), ("zh-CN,zh;q=0.9", "/zh-hans/"), ("ru-RU", "/ru/"),
    ("de-DE", "/en/"),
])
def test_the_browsers_language_picks_the_prefix_on_a_first_visit(client, db, accept, prefix):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302 and response["Location"] == prefix


@pytest.mark.parametrize("lang, phrases", [
    ("es", ["atención primaria de salud", 'lang="es"', 'dir="ltr"']),
    ("ar", ["الرعاية الصحية الأولية", 'lang="ar"', 'dir="rtl"']),
    ("zh-hans", ["初级卫生保健", 'lang="zh-hans"', 'dir="ltr"']),
])
def test_home_page_in_the_new_languages(client, db, lang, phrases):
    page = text(client.get(f"/{lang}/"))
    for phrase in phrases:
        assert phrase in page
    # The switcher offers all six, each in its own name.
    for own_name in ["English", "Français", "Русский", "Español", "العربيّة", "简体中文"]:
        assert own_name in page


@pytest.mark.parametrize("lang, kazakhstan, moldova", [
    ("en", "Kazakhstan", "Republic of Moldova"), ("ru", "Казахстан", "Молдова"), ("fr", "Kazakhstan", "Moldavie"),
    ("es", "Kazajistán", "Moldavia"), ("ar", "كازاخستان", "مولدوفا"), ("zh-hans", "哈萨克斯坦", "摩尔多瓦"),
])
def test_country_names_come_from_cldr_in_the_active_language(client, db, lang, kazakhstan, moldova):
    member("KZ")
    member("MD")
    page = text(client.get(f"/{lang}/members/"))
    assert kazakhstan in page and moldova in page
    assert "Republic of Moldova" not in page or lang == "en"


def test_sorting_follows_each_languages_collation():
    assert names.sorted_by_name(["oro", "ñandú", "nube"], language="es") == ["nube", "ñandú", "oro"]
    assert names.sorted_by_name(["Ж", "Ёлка", "Елка", "Еж"], language="ru") == ["Еж", "Елка", "Ёлка", "Ж"]
    # Python's own order would put "É" after "Z".
    assert names.sorted_by_name(["Zambie", "Égypte", "Espagne"], language="fr") == ["Égypte", "Espagne", "Zambie"]


@pytest.mark.parametrize("lang, order", [
    ("fr", ["Égypte", "Espagne", "Zambie"]),
    ("en", ["Egypt", "Spain", "Zambia"]),
    ("zh-hans", ["埃及", "西班牙", "赞比亚"]),  # pinyin: āijí, xībānyá, zànbǐyà
])
def test_the_directory_is_in_the_readers_alphabetical_order(client, db, lang, order):
    for iso2 in ["ZM", "ES", "EG"]:
        member(iso2)
    page = text(client.get(f"/{lang}/members/"))
    positions = [page.index(name) for name in order]
    assert positions == sorted(positions), (lang, positions)


def test_english_dates_are_never_numeric_only(client, db):
    member("KZ", since=date(2021, 12, 10))
    with time_machine.travel(date(2022, 1, 5), tick=False):
        page = text(client.get("/en/members/"))
    assert "10 Dec 2021" in page
    assert "12/10/2021" not in page


@pytest.mark.parametrize("lang, heading", [
    ("fr", "Page introuvable"), ("ru", "Страница не найдена"), ("ar", "الصفحة غير موجودة"),
])
def test_unknown_pages_say_so_in_the_visitors_language_with_the_layout(client, db, lang, heading):
    response = client.get(f"/{lang}/no-such-page/")
    assert response.status_code == 404
    page = text(response)
    assert heading in page
    assert 'class="site-header"' in page and f'href="/{lang}/"' in page


def test_the_error_page_of_a_crash_needs_no_database(db, rf, django_assert_num_queries):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("es"), django_assert_num_queries(0):
        response = server_error(rf.get("/es/"))
    assert response.status_code == 500
    page = text(response)
    assert "Algo salió mal" in page and 'lang="es"' in page
    assert 'href="/es/"' in page


@override_settings(DEBUG=False)
def test_forbidden_page_is_in_the_visitors_language(client, db, settings):
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.utils import translation
    from django.views.defaults import permission_denied

    with translation.override("fr"):
        request = RequestFactory().get("/fr/")
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    page = text(response)
    assert 'lang="fr"' in page and "Vous ne pouvez pas effectuer cette action" in page


@pytest.mark.parametrize("lang, name", [("ru", "Казахстан"), ("ar", "كازاخستان"), ("zh-hans", "哈萨克斯坦")])
def test_emails_are_in_the_recipients_language_with_the_country_named_in_it(db, mailoutbox, lang, name):
    from tests.members.test_reminders import SINCE, run

    with time_machine.travel(date(2026, 11, 28), tick=False):
        member("KZ", since=SINCE, contact_email="focal@health.kz", contact_language=lang)
    assert run(date(2026, 12, 15)) == 1
    message = mailoutbox[0]
    assert name in message.subject + message.body
    assert "Kazakhstan" not in message.body


@pytest.mark.parametrize("lang, order", [
    ("ru", ["Бразилия", "Гана", "Казахстан"]), ("en", ["Brazil", "Ghana", "Kazakhstan"]),
    ("zh-hans", ["巴西", "哈萨克斯坦", "加纳"]),  # pinyin: bāxī, hāsàkèsītǎn, jiānà
])
def test_the_commitments_explorer_lists_countries_in_the_readers_order(client, db, lang, order):
    from tests.factories import StaffFactory
    from tests.pledges.conftest import make_focal_point, publish

    staff = StaffFactory()
    for iso2 in ["KZ", "GH", "BR"]:
        country = member(iso2).country
        publish(country, make_focal_point(country, email=f"fp@{iso2.lower()}.example.org"), staff)
    page = text(client.get(f"/{lang}/pledges/"))
    positions = [page.index(name) for name in order]
    assert positions == sorted(positions), (lang, positions)


@pytest.mark.parametrize("typed, goes_to", [
    ("/zh/", "/zh-hans/"), ("/zh/members/?region=AFR", "/zh-hans/members/?region=AFR"), ("/zh-cn/events/", "/zh-hans/events/"),
])
def test_the_addresses_people_type_for_chinese_lead_to_the_chinese_site(client, db, typed, goes_to):
    response = client.get(typed)
    assert response.status_code == 301 and response["Location"] == goes_to
    assert client.get(goes_to).status_code == 200


def test_what_focal_points_wrote_keeps_its_own_direction_in_an_arabic_page(client, db):
    from tests.factories import StaffFactory
    from tests.pledges.conftest import make_focal_point, publish

    country = member("KZ").country
    pledge = publish(country, make_focal_point(country), StaffFactory())
    page = client.get(f"/ar/pledges/{pledge.pk}/").content.decode()
    assert 'dir="rtl"' in page
    assert f'<h1 lang="{pledge.language}" dir="auto">{pledge.title}</h1>' in page
    assert f'<div class="vision" lang="{pledge.language}" dir="auto">' in page
