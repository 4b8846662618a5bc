"""Representativeness: the membership beside the 194 WHO Member States, for the public and the Secretariat.

The expected figures are counted by hand from members/data/countries.csv (regions after WHA78, World
Bank FY2026 income groups and fragile list, population 2024): AFR 47, EUR 53, SEAR 10 (BGD BTN IND LKA
MDV MMR NPL PRK THA TLS); income H 63, UM 53, LM 49, L 25, unclassified 4 (COK ETH NIU VEN); size
small 70, medium 93, large 31; fragile 37. The members: Kazakhstan (EUR, UM, 20.6 M: medium), France
(EUR, H, 68.6 M: large), Senegal (AFR, LM, 18.5 M: medium), Ethiopia (AFR, unclassified, 132 M: large,
fragile); Thailand (SEAR, UM, 71.7 M) was a member until 1 May 2024.
"""

import csv
import io
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from members import services
from members.directory import directory
from members.selectors import representativeness
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)
PUBLIC = "/en/members/representativeness/"
SEAR = ["BGD", "BTN", "IND", "LKA", "MDV", "MMR", "NPL", "PRK", "THA", "TLS"]


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def world():
    member("KZ", since=date(2023, 10, 25))
    member("FR", since=date(2024, 1, 10))
    member("SN", since=date(2024, 5, 28))
    member("ET", since=date(2025, 2, 3))
    with time_machine.travel(date(2019, 6, 1), tick=False):
        old = member("TH", since=date(2019, 5, 1))
        services.give_notice(membership=old, received_on=date(2019, 6, 1))
    services.renew_due_memberships(today=TODAY)  # Thailand's membership ended on 1 May 2024


def group(rows, dimension, code):
    [found] = [r for r in rows if r["dimension"] == dimension and r["group"] == code]
    return found


def test_figures_against_a_hand_computed_case(world):
    rows = representativeness(on=TODAY)
    assert set(rows[0]) == {"dimension", "group", "members", "who_member_states", "not_members"}
    assert group(rows, "who_region", "AFR") | {"not_members": None} == {
        "dimension": "who_region", "group": "AFR", "members": 2, "who_member_states": 47, "not_members": None}
    afr = group(rows, "who_region", "AFR")["not_members"]
    assert len(afr) == 45 and "SEN" not in afr and "ETH" not in afr and "GHA" in afr and afr == sorted(afr)
    assert (group(rows, "who_region", "EUR")["members"], group(rows, "who_region", "EUR")["who_member_states"]) == (2, 53)
    # Thailand left before the day: not counted, and back on the outreach list.
    assert group(rows, "who_region", "SEAR") == {
        "dimension": "who_region", "group": "SEAR", "members": 0, "who_member_states": 10, "not_members": SEAR}
    counts = {(r["dimension"], r["group"]): (r["members"], r["who_member_states"]) for r in rows}
    assert counts == {
        ("who_region", "AFR"): (2, 47), ("who_region", "AMR"): (0, 35), ("who_region", "SEAR"): (0, 10),
        ("who_region", "EUR"): (2, 53), ("who_region", "EMR"): (0, 21), ("who_region", "WPR"): (0, 28),
        ("income_group", "L"): (0, 25), ("income_group", "LM"): (1, 49), ("income_group", "UM"): (1, 53),
        ("income_group", "H"): (1, 63), ("income_group", None): (1, 4),
        ("size_class", "small"): (0, 70), ("size_class", "medium"): (2, 93), ("size_class", "large"): (2, 31),
        ("fragile", True): (1, 37), ("fragile", False): (3, 157),
    }
    # The economies the World Bank does not classify: the export's code (None), Ethiopia a member.
    assert group(rows, "income_group", None)["not_members"] == ["COK", "NIU", "VEN"]
    assert [r["dimension"] for r in rows] == sorted([r["dimension"] for r in rows], key=[
        "who_region", "income_group", "size_class", "fragile"].index)


def test_the_day_decides_who_is_a_member(world):
    # 1 March 2024: Kazakhstan, France and Thailand; Senegal and Ethiopia had not yet joined.
    rows = representativeness(on=date(2024, 3, 1))
    assert group(rows, "who_region", "SEAR")["members"] == 1
    assert "THA" not in group(rows, "who_region", "SEAR")["not_members"]
    assert group(rows, "who_region", "AFR")["members"] == 0
    assert group(rows, "size_class", "large")["members"] == 2  # France and Thailand
    assert sum(r["members"] for r in rows if r["dimension"] == "fragile") == 3


def test_groups_use_the_codes_of_the_members_export(world):
    rows = representativeness(on=TODAY)
    exported = {c.iso3: c for c in directory(today=TODAY)}
    for dimension in ["who_region", "income_group", "size_class", "fragile"]:
        for iso3, country in exported.items():
            if iso3 == "THA":
                continue
            code = country.income_group or None if dimension == "income_group" else getattr(country, dimension)
            assert iso3 not in group(rows, dimension, code)["not_members"]
            assert group(rows, dimension, code)["members"] >= 1


def test_one_query_whatever_the_membership(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        representativeness(on=TODAY)
    member("GH", since=date(2025, 6, 1))
    member("BR", since=date(2025, 6, 1))
    with django_assert_num_queries(1):
        representativeness(on=TODAY)


def test_public_page_shows_counts_and_shares_without_the_outreach_list(client, world):
    response = client.get(PUBLIC)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Representativeness of the membership" in html
    assert "4 member countries" in html and "194 WHO Member States" in html
    # African Region: 2 of 4 members (50.0 %) against 47 of 194 (24.2 %); 2 of its 47 states (4.3 %).
    # Each cell carries its column's name, which labels it where the table becomes cards on a phone.
    assert ('<th scope="row">African Region</th>\n    <td data-label="Member countries">2</td>\n'
            '    <td data-label="Share of member countries">50.0&#8201;%</td>\n'
            '    <td data-label="WHO Member States">47</td>\n'
            '    <td data-label="Share of WHO Member States">24.2&#8201;%</td>\n'
            '    <td data-label="Members among the group\'s Member States">4.3&#8201;%</td>') in html
    assert "Not classified" in html and html.count('role="img"') >= 4
    assert "Ghana" not in html and "outreach" not in html.lower()


def test_public_page_in_french_keeps_its_figures_localised(client, world):
    response = client.get("/fr/members/representativeness/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "50,0&#8201;%" in html
    # Chart coordinates are never localised (a comma would break the SVG).
    assert not re.search(r'(width|x)="\d+,\d', html) and re.search(r'width="\d+\.\d"', html)


def test_public_page_queries_do_not_grow_with_members(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4) as few:
        client.get(PUBLIC)
    member("GH", since=date(2025, 6, 1))
    member("BR", since=date(2025, 6, 1))
    from django.core.cache import caches

    caches["pages"].clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(PUBLIC).status_code == 200


@pytest.fixture
def secretariat_client(client, staff):
    client.force_login(staff)
    return client


def test_secretariat_page_lists_the_countries_not_yet_members(secretariat_client, world):
    response = secretariat_client.get(reverse("representativeness:page"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Representativeness and outreach" in html
    assert 'id="outreach-who_region-SEAR"' in html
    sear = html.split('id="outreach-who_region-SEAR"')[1].split("</details>")[0]
    assert "South-East Asia Region: 10 countries" in sear
    assert "Bangladesh, Bhutan, Democratic People&#x27;s Republic of Korea, India" in sear
    assert 'id="outreach-income_group-none"' in html and 'id="outreach-fragile-true"' in html
    assert "group=SEAR" in sear and reverse("representativeness:outreach-csv") in sear


def test_secretariat_page_on_a_day_and_in_the_readers_language(secretariat_client, world):
    html = secretariat_client.get(reverse("representativeness:page"), {"on": "2024-03-01"}).content.decode()
    sear = html.split('id="outreach-who_region-SEAR"')[1].split("</details>")[0]
    assert "9 countries" in sear and "Thailand" not in sear
    with translation.override("fr"):
        url = reverse("representativeness:page")
    html = secretariat_client.get(url).content.decode()
    sear = html.split('id="outreach-who_region-SEAR"')[1].split("</details>")[0]
    # CLDR's French names, in French alphabetical order (Bangladesh, Bhoutan, Corée du Nord, Inde …).
    assert sear.index("Bangladesh") < sear.index("Bhoutan") < sear.index("Inde") < sear.index("Thaïlande")


def test_a_bad_date_is_said_and_kept(secretariat_client, world):
    response = secretariat_client.get(reverse("representativeness:page"), {"on": "2024-02-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errorlist"' in html and 'value="2024-02-31"' in html
    assert "4 member countries" in html  # today's figures meanwhile
    csv_response = secretariat_client.get(reverse("representativeness:outreach-csv"), {"on": "2024-02-31"})
    assert csv_response.status_code == 400 and b"valid date" in csv_response.content


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_outreach_csv_of_every_country_not_yet_a_member(secretariat_client, world):
    response = secretariat_client.get(reverse("representativeness:outreach-csv"), {"on": "2026-11-28"})
    assert 'filename="phc-coalition-outreach-2026-11-28.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["name", "iso3", "who_region", "income_group", "size_class", "fragile"]
    assert len(rows) == 1 + 194 - 4
    by_iso3 = {r[1]: r for r in rows[1:]}
    assert "KAZ" not in by_iso3 and "ETH" not in by_iso3
    assert by_iso3["THA"] == ["Thailand", "THA", "SEAR", "UM", "large", "False"]
    assert by_iso3["VEN"] == ["Venezuela (Bolivarian Republic of)", "VEN", "AMR", "", "medium", "True"]
    assert by_iso3["AFG"] == ["Afghanistan", "AFG", "EMR", "L", "medium", "True"]
    assert [r[0] for r in rows[1:4]] == ["Afghanistan", "Albania", "Algeria"]


def test_outreach_csv_of_one_group_in_the_readers_language(secretariat_client, world):
    with translation.override("ru"):
        url = reverse("representativeness:outreach-csv")
    rows = read_csv(secretariat_client.get(url, {"dimension": "who_region", "group": "SEAR"}))
    # In Russian alphabetical order: Бангладеш, Бутан, Восточный Тимор, Индия, КНДР, Мальдивы, Мьянма, Непал, …
    assert [r[1] for r in rows[1:]] == ["BGD", "BTN", "TLS", "IND", "PRK", "MDV", "MMR", "NPL", "THA", "LKA"]
    assert rows[1][0] == "Бангладеш"
    rows = read_csv(secretariat_client.get(url, {"dimension": "income_group", "group": "none"}))
    assert [r[0] for r in rows[1:]] == ["Венесуэла", "Ниуэ", "о-ва Кука"]  # CLDR: «о-ва Кука»
    with translation.override("en"):
        url = reverse("representativeness:outreach-csv")
    response = secretariat_client.get(url, {"dimension": "x", "group": "SEAR"})
    assert response.status_code == 400 and b"no such group" in response.content


def test_secretariat_page_queries_do_not_grow_with_members(secretariat_client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(10) as few:  # of which two read the figures
        secretariat_client.get(reverse("representativeness:page"))
    member("GH", since=date(2025, 6, 1))
    member("BR", since=date(2025, 6, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert secretariat_client.get(reverse("representativeness:page")).status_code == 200


def test_linked_from_the_membership_list(secretariat_client, world):
    html = secretariat_client.get(reverse("admin:members_membership_changelist")).content.decode()
    assert reverse("representativeness:page") in html


@pytest.mark.parametrize("who", ["focal_point", "other_staff"])
def test_the_outreach_list_is_the_secretariats(client, world, who):
    user = UserFactory(is_staff=(who == "other_staff"))
    client.force_login(user)
    assert client.get(reverse("representativeness:page")).status_code == 404
    assert client.get(reverse("representativeness:outreach-csv")).status_code == 404
    client.logout()
    response = client.get(reverse("representativeness:outreach-csv"))
    assert response.status_code == 302 and "login" in response["Location"]
