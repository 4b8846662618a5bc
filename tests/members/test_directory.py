"""The public member directory, its filters, search and open-data exports."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Country, Membership, Term
from tests.factories import StaffFactory, UserFactory, member

pytestmark = pytest.mark.django_db

URL = "/en/members/"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 11, 28), tick=False):
        yield date(2026, 11, 28)


def publish_pledge(country, status="published"):
    """A pledge row for the country's current term (the pledge workflow is tested in tests/pledges)."""
    from pledges.models import Pledge

    membership = Membership.objects.filter(country=country).latest("started_on")
    term = Term.objects.filter(membership=membership).latest("number")
    return Pledge.objects.create(
        country=country, membership=membership, term=term, title=f"Pledge of {country.name}", status=status,
        submitted_at=timezone.now(), accepted_at=timezone.now(),
        published_at=timezone.now() if status == "published" else None,
    )


@pytest.fixture
def world():
    """Members across regions and situations."""
    kz = member("KZ", since=date(2023, 10, 25)).country          # EUR, UM, Core Group, published pledge
    gh = member("GH", since=date(2022, 3, 1)).country            # AFR, LM, draft pledge
    member("SN", since=date(2024, 5, 28))                        # AFR, LM
    member("BR", since=date(2021, 12, 10))                       # AMR, UM, large
    member("CI", since=date(2025, 2, 3))                         # AFR, Côte d'Ivoire
    with time_machine.travel(date(2019, 6, 1), tick=False):
        old = member("TH", since=date(2019, 5, 1))
        services.give_notice(membership=old, received_on=date(2019, 6, 1))
    services.renew_due_memberships(today=date(2026, 11, 28))     # Thailand ended 2024-05-01
    services.grant_seat(country=kz, start=date(2023, 10, 25))
    publish_pledge(kz)
    publish_pledge(gh, status="draft")
    return {c.iso2: c for c in Country.objects.filter(iso2__in=["KZ", "GH", "SN", "BR", "CI", "TH"])}


def listed(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return [c["iso2"] for c in response.context["page"]]


def test_current_members_by_default_and_former_on_request(client, world):
    assert listed(client) == ["BR", "CI", "GH", "KZ", "SN"]
    assert listed(client, status="former") == ["TH"]
    assert listed(client, status="all") == ["BR", "CI", "GH", "KZ", "SN", "TH"]


def test_every_filter(client, world):
    assert listed(client, region="AFR") == ["CI", "GH", "SN"]
    assert listed(client, region=["AFR", "AMR"]) == ["BR", "CI", "GH", "SN"]
    assert listed(client, income="UM") == ["BR", "KZ"]
    assert listed(client, size="large") == ["BR"]
    assert set(listed(client, size="medium")) == {"CI", "GH", "KZ", "SN"}
    assert listed(client, year="2024") == ["SN"]
    assert listed(client, year=["2021", "2025"]) == ["BR", "CI"]
    assert listed(client, core_group="yes") == ["KZ"]
    assert "KZ" not in listed(client, core_group="no")
    assert listed(client, pledge="published") == ["KZ"]
    assert listed(client, pledge="draft") == ["GH"]
    assert listed(client, pledge="none") == ["BR", "CI", "SN"]
    fragile = set(Country.objects.filter(fragile=True).values_list("iso2", flat=True))
    assert set(listed(client, fragile="yes")) == {"BR", "CI", "GH", "KZ", "SN"} & fragile
    assert set(listed(client, fragile="no")) == {"BR", "CI", "GH", "KZ", "SN"} - fragile


def test_filters_combine(client, world):
    assert listed(client, region="AFR", pledge="none") == ["CI", "SN"]
    assert listed(client, region="AFR", income="LM", year="2022") == ["GH"]
    assert listed(client, region="SEAR") == []
    assert listed(client, status="all", region="SEAR") == ["TH"]
    assert listed(client, status="former", pledge="none") == ["TH"]


def test_search_ignores_accents_and_case_in_every_language(client, world):
    assert listed(client, q="cote d") == ["CI"]
    assert listed(client, q="CÔTE") == ["CI"]
    assert listed(client, q="Казахстан") == ["KZ"]
    assert listed(client, q="казах") == ["KZ"]
    assert listed(client, q="Sénégal") == ["SN"]
    assert listed(client, q="bresil") == ["BR"]  # Brésil in French
    assert listed(client, q="Kazakstan") == ["KZ"]  # a near spelling
    assert listed(client, q="Republic of Ghana") == ["GH"]  # the official name


def test_sorting(client, world):
    assert listed(client, sort="accession") == ["BR", "GH", "KZ", "SN", "CI"]
    assert listed(client, sort="region") == ["CI", "GH", "SN", "BR", "KZ"]


def test_names_and_order_follow_the_language(client, world):
    response = client.get("/ru/members/")
    page = response.content.decode()
    assert "Казахстан" in page and "Бразилия" in page
    assert [c["iso2"] for c in response.context["page"]] == ["BR", "GH", "KZ", "CI", "SN"]  # Бразилия, Гана, Казахстан, Кот-д’Ивуар, Сенегал


def test_filter_state_lives_in_the_url(client, world):
    page = client.get(URL, {"region": "AFR", "pledge": "none"}).content.decode()
    assert "export.csv?pledge=none&amp;region=AFR" in page
    import re

    assert re.search(r'<input[^>]*name="region"[^>]*value="AFR"[^>]*checked', page)
    assert not re.search(r'<input[^>]*name="region"[^>]*value="EUR"[^>]*checked', page)


def test_pagination_keeps_filters(client, world):
    from members import public_views

    public_views.PAGE_SIZE, old = 2, public_views.PAGE_SIZE
    try:
        first = client.get(URL, {"region": "AFR"})
        assert first.context["page"].paginator.num_pages == 2
        assert "?region=AFR&amp;page=2" in first.content.decode()
        assert [c["iso2"] for c in client.get(URL, {"region": "AFR", "page": 2}).context["page"]] == ["SN"]
    finally:
        public_views.PAGE_SIZE = old


def test_public_cache_headers(client, world):
    response = client.get(URL)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "csrftoken" not in response.cookies
    client.force_login(UserFactory())
    assert "private" in client.get(URL)["Cache-Control"]


def test_csv_export_schema_and_filters(client, world):
    response = client.get("/en/members/export.csv", {"region": "AFR"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0].keys()) == [
        "iso3", "iso2", "name", "name_ru", "name_fr", "who_region", "income_group", "fragile", "population",
        "size_class", "membership_status", "member_since", "current_term_end", "core_group", "pledge_status",
        "name_es", "name_ar", "name_zh",
    ]
    assert [r["iso3"] for r in rows] == ["CIV", "GHA", "SEN"]
    gh = rows[1]
    assert (gh["member_since"], gh["current_term_end"], gh["pledge_status"]) == ("2022-03-01", "2027-03-01", "draft")


def test_json_export_schema(client, world):
    data = client.get("/en/members/export.json", {"status": "all"}).json()
    assert data["schema"] == "phc-coalition-members/1" and data["count"] == 6
    th = next(c for c in data["countries"] if c["iso2"] == "TH")
    assert th["membership_status"] == "former" and th["current_term_end"] is None
    kz = next(c for c in data["countries"] if c["iso2"] == "KZ")
    assert kz["core_group"] is True and kz["pledge_status"] == "published" and kz["name_ru"] == "Казахстан"
    assert (kz["name_es"], kz["name_ar"], kz["name_zh"]) == ("Kazajistán", "كازاخستان", "哈萨克斯坦")


def test_nothing_private_in_pages_or_exports(client, world):
    from members.models import LetterOfInterest

    LetterOfInterest.objects.filter(country__iso2="KZ").update(contact_email="secret.contact@health.kz",
                                                               contact_phone="+7 777 123 4567")
    StaffFactory(email="staff.only@example.org")
    for url in [URL, "/en/members/export.csv?status=all", "/en/members/export.json?status=all", "/en/countries/kaz/"]:
        body = client.get(url).content.decode()
        for secret in ["secret.contact@health.kz", "+7 777 123 4567", "staff.only@example.org", "Pledge of Ghana",
                       "letters/"]:
            assert secret not in body, (url, secret)


def test_directory_queries_do_not_grow_with_members(client, django_assert_max_num_queries, world):
    client.get(URL)
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    fixed = len(few.captured_queries)
    start = date(2024, 1, 1)
    for i, country in enumerate(Country.objects.exclude(memberships__isnull=False)):
        with time_machine.travel(start + timedelta(days=i), tick=False):
            member(country.iso2, since=start + timedelta(days=i))
        publish_pledge(country)
    assert Membership.objects.count() == 194
    with django_assert_max_num_queries(fixed):
        response = client.get(URL, {"status": "all"})
    assert "194 countries match." in response.content.decode()


def test_country_page_tells_the_whole_public_record(client, world):
    from events import services as event_services
    from events.models import Registration
    from members import core_group
    from members.models import Champion

    champion = core_group.save_champion(champion=Champion(name="H.E. Example", title="Minister", country=world["KZ"]))
    core_group.add_commitment(champion=champion, start=date(2026, 1, 1))
    with time_machine.travel(date(2026, 5, 1), tick=False):
        start = timezone.now() + timedelta(days=2)
        event = event_services.create_event(title="Side event at WHA79", kind="global", starts_at=start,
                                            ends_at=start + timedelta(hours=2), timezone="Europe/Zurich",
                                            venue="Geneva")
        registration = event_services.register(event=event, name="Delegate", email="d@health.kz",
                                               country=world["KZ"], by=StaffFactory())
    Registration.objects.filter(pk=registration.pk).update(attended=True)
    page = client.get("/en/countries/kaz/").content.decode()
    assert "Accession on 25 Oct 2023" in page
    assert "Permanent Core Group seat since 25 Oct 2023" in page
    assert "H.E. Example, Minister: PHC champion (2026–2028)" in page
    assert "Side event at WHA79" in page and "1 delegate attended" in page
    assert "d@health.kz" not in page
    former = client.get("/en/countries/tha/").content.decode()
    assert "ended on 1 May 2024" in former and "membership ends on 1 May 2024" in former


def test_country_page_in_russian_and_its_cache_headers(client, world):
    response = client.get("/ru/countries/kaz/")
    assert "<h1>Казахстан</h1>" in response.content.decode()
    assert "public" in response["Cache-Control"]


def test_country_page_queries_are_bounded(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        client.get("/en/countries/kaz/")
