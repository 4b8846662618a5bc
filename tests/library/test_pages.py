"""The library's pages: the search form without JavaScript, every language, bad input, the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coalition.models import Action
from library import services
from library.models import Kind, Resource
from tests.factories import StaffFactory
from tests.library.conftest import make_resource, pdf_bytes, pdf_upload
from tests.members.pdfs import NOT_A_PDF

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "fr", "ru", "es", "ar", "zh-hans"])
def test_the_library_answers_in_every_language(client, language, kz):
    resource = make_resource(title="Community health workers", countries=[kz], levers=["workforce"],
                             summary_en="How Kazakhstan trained them.")
    page = client.get(f"/{language}/library/", {"q": "community"})
    assert page.status_code == 200
    assert f'href="/{language}/library/{resource.pk}/"' in page.content.decode()
    assert client.get(f"/{language}/library/{resource.pk}/").status_code == 200


def test_the_facets_are_boxes_of_one_get_form_with_the_search(client, kz):
    make_resource(title="Community health workers", countries=[kz], levers=["workforce"])
    html = client.get("/en/library/").content.decode()
    assert 'role="search"' in html and 'method="get"' in html
    assert 'type="checkbox" name="lever" value="workforce"' in html
    assert f'type="checkbox" name="country" value="{kz.pk}"' in html
    assert "Kazakhstan <span class=\"count\">(1)</span>" in html
    ticked = client.get("/en/library/", {"lever": "workforce"}).content.decode()
    assert 'value="workforce" id="id_lever_0" checked' in ticked


def test_a_translated_title_is_shown_and_the_original_marked(client):
    resource = make_resource(title="Santé rurale", language="fr")
    html = client.get("/ru/library/").content.decode()
    assert "Santé rurale" in html and "original-language" in html
    resource.title_ru = "Сельское здоровье"
    services.save_resource(resource=resource)
    assert "Сельское здоровье" in client.get("/ru/library/").content.decode()
    # A Russian reader finds the French document by its Russian title.
    assert "Сельское здоровье" in client.get("/ru/library/", {"q": "здоровья"}).content.decode()


@pytest.mark.parametrize("query", [
    {"country": "abc"}, {"kind": "poem"}, {"lever": "x" * 80}, {"language": "xx"}, {"page": "many"},
    {"q": "\"unbalanced"}, {"q": "-"}, {"q": "!!! & | :*"}, {"page": "99999"},
])
def test_bad_input_never_breaks_the_page(client, query):
    make_resource(title="Community health workers")
    response = client.get("/en/library/", query)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "could not be used" in response.content.decode()


def test_a_long_list_is_paginated(client):
    for i in range(23):
        make_resource(title=f"Study {i}")
    first = client.get("/en/library/").content.decode()
    assert first.count('class="card library-item"') == 20 and "Page 1 of 2" in first
    second = client.get("/en/library/", {"page": 2}).content.decode()
    assert second.count('class="card library-item"') == 3


def test_saving_a_document_checks_the_pdf_and_keeps_its_text_out_of_the_audit_log(
    kz, django_capture_on_commit_callbacks,
):
    staff = StaffFactory()
    with pytest.raises(Exception) as refused:
        make_resource(title="Not a PDF", kind=Kind.DOCUMENT,
                      file=SimpleUploadedFile("x.pdf", NOT_A_PDF, content_type="application/pdf"))
    assert "not a PDF" in str(refused.value)
    assert not Resource.objects.exists()

    resource = make_resource(title="Review", kind=Kind.DOCUMENT, countries=[kz], by=staff,
                             file=pdf_upload("Zebra crossings near clinics."))
    assert resource.regions == ["EUR"]
    entry = Action.objects.get(action="library.resource_saved")
    assert entry.user == staff
    assert "Zebra" not in str(entry.changes)
    # A new document replaces the text, and the old file is deleted once the change is committed.
    old_name = resource.file.name
    resource.file = pdf_upload("Giraffe outreach.")
    with django_capture_on_commit_callbacks(execute=True):
        services.save_resource(resource=resource, by=staff)
    resource.refresh_from_db()
    assert "Giraffe" in resource.search.text and "Zebra" not in resource.search.text
    assert resource.file.name != old_name
    assert resource.file.storage.exists(resource.file.name) and not resource.file.storage.exists(old_name)


def test_the_secretariat_adds_a_document_in_the_admin(client, kz):
    staff = StaffFactory()
    client.force_login(staff)
    data = {
        "original_language": "en", "kind": "document", "title_en": "Review of PHC financing", "summary_en": "A review.",
        "published_on": "2025-03-01", "url": "", "countries": [kz.pk], "levers": ["funding"], "event": "",
    }
    refused = client.post("/en/admin/library/resource/add/", {
        **data, "file": SimpleUploadedFile("x.pdf", NOT_A_PDF, content_type="application/pdf")})
    assert refused.status_code == 200
    assert "not a PDF document" in refused.content.decode()
    # What was typed is kept.
    assert "Review of PHC financing" in refused.content.decode()
    assert not Resource.objects.exists()

    done = client.post("/en/admin/library/resource/add/", {
        **data, "file": SimpleUploadedFile("r.pdf", pdf_bytes("Capitation payments in Almaty."),
                                           content_type="application/pdf")})
    assert done.status_code == 302, done.content.decode()[:3000]
    resource = Resource.objects.get()
    assert "Capitation" in resource.search.text
    assert list(resource.countries.all()) == [kz] and resource.regions == ["EUR"]
    assert Action.objects.filter(action="library.resource_saved", user=staff).exists()
    change = client.get(f"/en/admin/library/resource/{resource.pk}/change/").content.decode()
    assert "Capitation payments in Almaty." in change

    client.post(f"/en/admin/library/resource/{resource.pk}/delete/", {"post": "yes"})
    assert not Resource.objects.exists()
    deleted = Action.objects.get(action="library.resource_deleted")
    assert deleted.user == staff and deleted.object_repr == "Review of PHC financing"


def test_a_document_without_a_file_is_refused_with_a_message():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        make_resource(title="Empty", kind=Kind.DOCUMENT)
    assert "Upload the document" in str(refused.value)
