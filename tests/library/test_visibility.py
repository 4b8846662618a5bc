"""Members-only resources: seen by the Secretariat and focal points of member countries, 404 for others."""

from datetime import timedelta

import pytest
from django.utils import timezone

from library.models import Kind
from pledges import services as pledge_services
from tests.factories import StaffFactory, UserFactory, member
from tests.library.conftest import make_resource, pdf_upload
from tests.outcomes import outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(kz, fr):
    from members import services as member_services

    member("KZ", since=timezone.localdate() - timedelta(days=400))
    former = member("FR", since=timezone.localdate() - timedelta(days=6 * 365))
    focal_point, former_focal_point = UserFactory(), UserFactory()
    pledge_services.add_focal_point(country=kz, user=focal_point)
    pledge_services.add_focal_point(country=fr, user=former_focal_point)
    # France leaves: its focal point keeps an account but speaks for nobody.
    member_services.give_notice(membership=former, received_on=former.started_on + timedelta(days=30))
    member_services.renew_due_memberships(today=timezone.localdate())
    return {"anonymous": None, "plain user": UserFactory(), "focal point of a former member": former_focal_point,
            "focal point": focal_point, "secretariat": StaffFactory()}


@pytest.fixture
def resources():
    return {
        "public": make_resource(title="Public guide to PHC", kind=Kind.DOCUMENT,
                                file=pdf_upload("Open guidance on primary care.")),
        "members": make_resource(title="Members' note on PHC", kind=Kind.DOCUMENT, members_only=True,
                                 file=pdf_upload("Confidential guidance on primary care.")),
    }


SEES_MEMBERS_ONLY = {"focal point", "secretariat"}


@pytest.mark.parametrize("who", ["anonymous", "plain user", "focal point of a former member", "focal point",
                                 "secretariat"])
def test_each_person_sees_what_they_may(client, people, resources, who):
    if people[who] is not None:
        client.force_login(people[who])
    sees = who in SEES_MEMBERS_ONLY
    listing = client.get("/en/library/", {"q": "guidance"}).content.decode()
    assert "Public guide to PHC" in listing
    assert ("Members&#x27; note on PHC" in listing) is sees
    # Facet counts do not give away what the reader cannot open.
    assert ("(2)" in listing) is sees
    refused = "login" if who == "anonymous" else 404
    hidden = resources["members"]
    for url in (f"/en/library/{hidden.pk}/", f"/en/library/{hidden.pk}/file/"):
        assert outcome(client.get(url)) == (200 if sees else refused), url
    public = resources["public"]
    assert client.get(f"/en/library/{public.pk}/").status_code == 200
    response = client.get(f"/en/library/{public.pk}/file/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_members_only_file_is_not_kept_by_caches(client, people, resources):
    client.force_login(people["focal point"])
    response = client.get(f"/en/library/{resources['members'].pk}/file/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_missing_resource_looks_the_same_as_a_hidden_one(client, people, resources):
    client.force_login(people["plain user"])
    assert client.get("/en/library/999999/").status_code == 404
    client.logout()
    assert outcome(client.get("/en/library/999999/")) == outcome(client.get(f"/en/library/{resources['members'].pk}/"))


def test_a_link_has_no_file(client, resources):
    link = make_resource(title="WHO page")
    assert client.get(f"/en/library/{link.pk}/file/").status_code == 404


def test_the_event_a_resource_came_from_is_named_only_to_those_who_may_see_it(client, people):
    from tests.events.conftest import make_event

    closed = make_event(title="Closed meeting of members", public=False)
    resource = make_resource(title="Outcome note", event=closed)
    assert "Closed meeting of members" not in client.get(f"/en/library/{resource.pk}/").content.decode()
    client.force_login(people["focal point"])
    assert "Closed meeting of members" in client.get(f"/en/library/{resource.pk}/").content.decode()
