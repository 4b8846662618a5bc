"""A file a record names but its storage no longer has: the Secretariat are told, nobody gets a 500.

The world is the access matrix's (every kind of file attached); each test deletes one file from its
storage and asks for it as the Secretariat (a page saying what is missing and when it was uploaded),
as focal points and the public (the ordinary 404), and looks at the admin's links to it.
"""

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from coalition.models import Action
from tests.test_access_matrix import World, world  # noqa: F401 - the fixture

MISSING_TEMPLATE = "admin/coalition/file_missing.html"


def _lose(file):
    file.storage.delete(file.name)
    assert not file.storage.exists(file.name)


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _missing_page(response):
    return response.status_code == 404 and MISSING_TEMPLATE in [t.name for t in response.templates]


# name -> (the file in the world, URL, what the page calls it, who else may read it when present)
CASES = {
    "letter": (lambda w: w.letter.letter, lambda w: reverse("members:letter-file", args=[w.letter.pk]),
               "signed letter", []),
    "notice": (lambda w: w.notice.document, lambda w: reverse("members:notice-file", args=[w.notice.pk]),
               "scanned notice", []),
    "withdrawal": (lambda w: w.notice.withdrawal_document,
                   lambda w: reverse("members:withdrawal-file", args=[w.notice.pk]), "scanned withdrawal", []),
    "evidence": (lambda w: w.entry.evidence_file, lambda w: reverse("pledges:evidence", args=[w.entry.pk]),
                 "evidence document", ["fp_b"]),
    "material": (lambda w: w.material.file, lambda w: reverse("events:material", args=[w.closed.pk, w.material.pk]),
                 "event material", ["fp_a"]),
    "report": (lambda w: w.annual.file, lambda w: reverse("reports:download", args=[w.annual.pk]), "built PDF", []),
    "photo": (lambda w: w.champion.photo, lambda w: reverse("members:champion-photo", args=[w.champion.pk]),
              "photo", ["anonymous", "fp_a"]),
}


@pytest.mark.parametrize("name", CASES)
def test_the_secretariat_are_told_what_is_missing_and_others_get_a_plain_404(client, world, name):  # noqa: F811
    get_file, get_url, what, readers = CASES[name]
    file, url = get_file(world), get_url(world)
    assert _get(client, world.users["secretariat"], url).status_code == 200  # served while it is there
    _lose(file)

    response = _get(client, world.users["secretariat"], url)
    assert _missing_page(response), response.status_code
    page = response.content.decode()
    assert "File missing" in page and what in page and file.name in page
    assert response["Cache-Control"] == "private, no-store"
    assert "Uploaded" in page and "according to" in page, "the upload's record is found"

    for role in [*readers, "fp_b", "fp_a"]:
        response = _get(client, world.users.get(role), url)
        assert response.status_code in (302, 404), (role, response.status_code)
        assert not _missing_page(response), role


def test_the_upload_time_and_person_come_from_the_audit_log(client, world):  # noqa: F811
    entry = Action.objects.filter(action="event.material_added").get()
    assert world.material.file.name in str(entry.changes)
    _lose(world.material.file)
    page = _get(client, world.users["secretariat"],
                reverse("events:material", args=[world.closed.pk, world.material.pk])).content.decode()
    assert date_format(localtime(entry.at), "DATETIME_FORMAT") in page
    assert "according to the audit log" in page


def test_the_history_says_when_a_letter_was_attached(client, world):  # noqa: F811
    row = world.letter.history.filter(letter=world.letter.letter.name).order_by("history_date").first()
    _lose(world.letter.letter)
    page = _get(client, world.users["secretariat"],
                reverse("members:letter-file", args=[world.letter.pk])).content.decode()
    assert date_format(localtime(row.history_date), "DATETIME_FORMAT") in page
    assert "according to the record&#x27;s history" in page or "according to the record's history" in page
    assert reverse("admin:members_letterofinterest_change", args=[world.letter.pk]) in page


def test_a_built_report_without_a_record_says_when_it_was_built(client, world):  # noqa: F811
    _lose(world.annual.file)
    page = _get(client, world.users["secretariat"], reverse("reports:download", args=[world.annual.pk])).content.decode()
    assert date_format(localtime(world.annual.finished_at), "DATETIME_FORMAT") in page


def test_admin_pages_mark_a_missing_file_instead_of_linking_to_it(client, world):  # noqa: F811
    client.force_login(world.users["superuser"])
    pages = {
        "letter": (world.letter.letter, reverse("admin:members_letterofinterest_change", args=[world.letter.pk]),
                   reverse("members:letter-file", args=[world.letter.pk])),
        "notice": (world.notice.document, reverse("admin:members_membership_change", args=[world.notice.membership_id]),
                   reverse("members:notice-file", args=[world.notice.pk])),
        "material": (world.material.file, reverse("admin:events_event_change", args=[world.closed.pk]),
                     world.material.file.url),
        "photo": (world.champion.photo, reverse("admin:members_champion_change", args=[world.champion.pk]),
                  world.champion.photo.url),
    }
    for name, (file, admin_url, link) in pages.items():
        page = client.get(admin_url).content.decode()
        assert f'href="{link}"' in page and "file missing" not in page, name
        _lose(file)
        response = client.get(admin_url)
        assert response.status_code == 200, name
        page = response.content.decode()
        assert "file missing" in page and f'href="{link}"' not in page, name
