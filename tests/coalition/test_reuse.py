"""Kept reads and drawn fragments (coalition/reads.py, coalition/fragments.py): reused for the same
data, never shown stale."""

from datetime import date

import pytest
from django.db import transaction
from django.template import engines
from django.utils import translation

from coalition import fragments, reads
from members.models import Country, Membership
from tests.factories import member

calls = []


@reads.kept
def members_on(*, day: date) -> list[str]:
    calls.append(day)
    return sorted(Membership.objects.in_force(on=day).values_list("country__iso2", flat=True))


@pytest.fixture(autouse=True)
def _no_calls():
    calls.clear()


def test_a_fragment_is_drawn_once_for_the_same_data_and_language():
    drawn = []

    def draw():
        drawn.append(translation.get_language())
        return f"<p>{len(drawn)}</p>"

    assert fragments.drawn("test", [("KZ", date(2024, 3, 1))], draw) == "<p>1</p>"
    assert fragments.drawn("test", [("KZ", date(2024, 3, 1))], draw) == "<p>1</p>"
    assert fragments.drawn("test", [("KZ", date(2024, 3, 2))], draw) == "<p>2</p>"
    with translation.override("fr"):
        assert fragments.drawn("test", [("KZ", date(2024, 3, 1))], draw) == "<p>3</p>"
    assert drawn == ["en", "en", "fr"]


def test_the_fragment_tag_draws_what_it_encloses_once_per_value():
    template = engines["django"].from_string(
        "{% load fragments %}{% fragment 'greeting' name %}Hello {{ name }} {{ other }}{% endfragment %}")
    assert template.render({"name": "Ana", "other": 1}) == "Hello Ana 1"
    # Not among its values, so not shown anew: only what the key holds may vary the fragment.
    assert template.render({"name": "Ana", "other": 2}) == "Hello Ana 1"
    assert template.render({"name": "Bo", "other": 2}) == "Hello Bo 2"


@pytest.mark.django_db
def test_a_model_instance_cannot_key_a_fragment():
    # Its text is not its content: a fragment keyed by it could show what changed since.
    with pytest.raises(TypeError, match="plain data, not Country"):
        fragments.digest([Country.objects.get(iso2="KZ")])


def test_with_reuse_off_every_fragment_is_drawn(settings):
    settings.REUSE_RENDERING = False
    drawn = []
    for _ in range(2):
        fragments.drawn("test", [1], lambda: drawn.append(1) or "x")
    assert len(drawn) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_kept_read_is_read_once_until_a_change_is_committed():
    day = date(2026, 12, 7)
    member("KZ")
    assert members_on(day=day) == ["KZ"]
    assert members_on(day=day) == ["KZ"]
    assert members_on(day=date(2026, 12, 8)) == ["KZ"]
    assert calls == [day, date(2026, 12, 8)]
    member("GH")  # committed: the data version moves on
    assert members_on(day=day) == ["GH", "KZ"]
    assert len(calls) == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transaction_that_wrote_reads_the_database_itself():
    day = date(2026, 12, 7)
    assert members_on(day=day) == []
    with transaction.atomic():
        member("KZ")
        assert members_on(day=day) == ["KZ"]
    assert members_on(day=day) == ["KZ"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_caller_changing_its_answer_does_not_change_the_next_callers():
    day = date(2026, 12, 7)
    member("KZ")
    members_on(day=day).append("XX")
    assert members_on(day=day) == ["KZ"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_directory_shows_a_new_member_as_soon_as_it_is_committed(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    member("KZ")
    assert "Ghana" not in client.get("/en/members/").content.decode()
    assert "Ghana" not in client.get("/en/members/").content.decode()
    member("GH")
    assert "Ghana" in client.get("/en/members/").content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_kept_page_carries_each_readers_own_csrf_token():
    import re

    from django.test import Client

    from tests.pledges.conftest import make_focal_point

    kz = member("KZ").country
    people = [make_focal_point(kz, email=f"fp{i}@kz.example.org") for i in range(2)]
    tokens = []
    for person in people:
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        for _ in range(2):  # the second page comes from the kept fragment
            page = client.get("/en/dashboard/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        tokens.append(token)
        response = client.post("/en/countries/kaz/contact/", {"csrfmiddlewaretoken": token, "public": "1"})
        assert response.status_code == 302, response.status_code
    assert tokens[0] != tokens[1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_who_speaks_for_a_country_is_read_again_after_a_revocation_or_an_unverified_address(client):
    from allauth.account.models import EmailAddress

    from accounts import access
    from pledges import services
    from pledges.models import FocalPoint
    from tests.factories import StaffFactory
    from tests.pledges.conftest import make_focal_point

    kz = member("KZ").country
    fp = make_focal_point(kz)
    draft = services.start_pledge(country=kz, by=fp)
    client.force_login(fp)
    for _ in range(2):  # read, then kept
        assert access.speaks_for(fp, kz)
        assert client.get(f"/en/pledges/{draft.pk}/").status_code == 200
    EmailAddress.objects.filter(user=fp).update(verified=False)  # no signal: allauth's own row
    EmailAddress.objects.get(user=fp).save()  # as allauth saves it
    assert not access.speaks_for(fp, kz)
    EmailAddress.objects.filter(user=fp).update(verified=True)
    EmailAddress.objects.get(user=fp).save()
    assert access.speaks_for(fp, kz)
    services.revoke_focal_point(focal_point=FocalPoint.objects.get(user=fp), by=StaffFactory())
    assert not access.speaks_for(fp, kz)
    assert client.get(f"/en/pledges/{draft.pk}/").status_code == 404


@pytest.mark.django_db
def test_within_a_request_a_read_is_asked_once_until_this_request_writes(settings):
    from coalition import versioning

    settings.REUSE_RENDERING = False  # nothing kept across requests
    day = date(2026, 12, 7)
    versioning._request_started()
    try:
        assert members_on(day=day) == members_on(day=day) == []
        assert len(calls) == 1
        member("KZ")
        assert members_on(day=day) == ["KZ"]
        assert len(calls) == 2
    finally:
        versioning._request_finished()
    members_on(day=day)  # outside a request: nothing marks where one ends, so it is read each time
    members_on(day=day)
    assert len(calls) == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sign_in_leaves_the_data_version_where_it_was():
    from django.contrib.auth.models import update_last_login

    from coalition import versioning
    from tests.factories import UserFactory

    user = UserFactory()
    before = versioning.current()
    update_last_login(None, user)  # what every sign-in saves
    assert versioning.current() == before
    user.full_name = "Another name"
    user.save()
    assert versioning.current() > before
