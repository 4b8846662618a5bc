import pytest

from members.models import Country


@pytest.mark.django_db
def test_all_who_member_states_are_loaded():
    assert Country.objects.count() == 194
    kz = Country.objects.get(iso2="KZ")
    assert (kz.iso3, kz.name, kz.who_region) == ("KAZ", "Kazakhstan", "EUR")
    assert kz.population > 19_000_000


@pytest.mark.django_db
def test_regions_follow_wha78_and_namibia_keeps_its_code():
    assert Country.objects.get(iso3="IDN").who_region == "WPR"
    assert Country.objects.get(iso3="NAM").iso2 == "NA"
    counts = {r: Country.objects.filter(who_region=r).count() for r in ["AFR", "AMR", "SEAR", "EUR", "EMR", "WPR"]}
    assert counts == {"AFR": 47, "AMR": 35, "SEAR": 10, "EUR": 53, "EMR": 21, "WPR": 28}


@pytest.mark.django_db
def test_income_groups_and_fragile_settings():
    assert Country.objects.filter(income_group="").count() == 4
    assert Country.objects.filter(fragile=True).count() == 37
