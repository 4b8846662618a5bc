"""Library search: accents, stemming by language, words inside PDFs, lessons, event materials, facets."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from events import services as event_services
from library import selectors
from library.models import Kind
from library.selectors import Filters
from tests.events.conftest import make_event
from tests.factories import StaffFactory, UserFactory, member
from tests.library.conftest import make_resource, pdf_upload

pytestmark = pytest.mark.django_db


def found(q="", *, user=None, language="en", **facets):
    with translation.override(language):
        results = selectors.search(user=user, filters=Filters(q=q, **facets))
        return [item.obj for item in results[0:100]]


def titles(q="", **kwargs):
    return sorted(str(obj) for obj in found(q, **kwargs))


def test_accents_do_not_matter_either_way():
    make_resource(title="Santé communautaire et soins primaires", language="fr")
    make_resource(title="Hospital budgets")
    assert titles("sante") == ["Santé communautaire et soins primaires"]
    assert titles("SANTÉ") == ["Santé communautaire et soins primaires"]
    assert titles("communautaire", language="fr") == ["Santé communautaire et soins primaires"]
    # Nothing is found for a word that is not there: the search does narrow.
    assert titles("pharmacie") == []


def test_russian_words_are_found_in_other_forms():
    make_resource(title="Сельская больница и первичная помощь", language="ru")
    make_resource(title="Городские поликлиники", language="ru")
    # The Russian stemmer reads "больницы" (plural) as "больница".
    assert titles("больницы", language="ru") == ["Сельская больница и первичная помощь"]
    # Typed in another form by a reader of another language: found as written only.
    assert titles("больница", language="en") == ["Сельская больница и первичная помощь"]


def test_english_stemming_follows_the_reader_and_the_document():
    make_resource(title="Financing primary health care")
    assert titles("financed") == ["Financing primary health care"]


def test_a_word_only_inside_the_pdf_is_found():
    resource = make_resource(title="Annual review", kind=Kind.DOCUMENT,
                             file=pdf_upload("The district piloted xylophonic outreach in Almaty."))
    make_resource(title="Other review")
    assert "xylophonic" in resource.search.text
    assert [r.pk for r in found("xylophonic")] == [resource.pk]
    assert found("almaty")[0].pk == resource.pk


def test_titles_rank_above_the_text_of_documents():
    in_text = make_resource(title="Annual review", kind=Kind.DOCUMENT, file=pdf_upload("Nursing workforce plan."))
    in_title = make_resource(title="Nursing workforce")
    assert [r.pk for r in found("nursing")] == [in_title.pk, in_text.pk]


def test_lessons_of_published_reports_only_are_found(fr):
    from pledges.models import ProgressReport
    from tests.pledges.conftest import make_focal_point, publish_with_report

    member("FR", since=timezone.localdate() - timedelta(days=400))
    _pledge, report = publish_with_report(fr, make_focal_point(fr), StaffFactory())
    entry = report.entries.first()
    entry.lessons = "Téléconsultations réduisent les délais."
    entry.barriers = "Shortage of rural nurses."
    entry.save()
    assert found("teleconsultations") == [entry]
    assert found("nurses") == [entry]
    # A report that is not published (any more) keeps its lessons to itself.
    ProgressReport.objects.filter(pk=report.pk).update(status=ProgressReport.Status.SUBMITTED)
    assert found("teleconsultations") == []


def test_event_materials_follow_their_event():
    open_event = make_event(title="Open webinar")
    closed = make_event(title="Members' webinar", public=False)
    event_services.add_material(event=open_event, kind="slides", title="Slides on community health workers",
                                url="https://example.org/slides")
    event_services.add_material(event=closed, kind="report", title="Report on community health workers",
                                file=SimpleUploadedFile("r.pdf", b"%PDF-1.4 r"))
    assert titles("community") == ["Slides on community health workers"]
    staff = StaffFactory()
    assert titles("community", user=staff) == ["Report on community health workers",
                                                "Slides on community health workers"]
    # Found by lever too: a governance workshop's materials are about governance.
    workshop = make_event(title="Governance workshop", kind="workshop", theme="governance")
    event_services.add_material(event=workshop, kind="agenda", title="Agenda", url="https://example.org/a")
    assert titles(levers=["governance"]) == ["Agenda"]


def test_facets_count_what_matches_and_each_facet_ignores_its_own_boxes(kz, fr):
    make_resource(title="Rural clinics", countries=[kz], levers=["workforce"])
    make_resource(title="Rural nurses", countries=[fr], levers=["workforce", "funding"], language="fr",
                  kind=Kind.CASE_STUDY)
    make_resource(title="Urban budgets", levers=["funding"])
    with translation.override("en"):
        results = selectors.search(user=None, filters=Filters(q="rural"))
        assert results.count == 2
        facets = results.facets()
    counts = {name: {o.value: o.count for o in options} for name, options in facets.items()}
    assert counts["lever"] == {"workforce": 2, "funding": 1}
    assert counts["kind"] == {"link": 1, "case_study": 1}
    assert counts["country"] == {str(kz.pk): 1, str(fr.pk): 1}
    # Kazakhstan's region is added from the country: Europe twice.
    assert counts["region"] == {"EUR": 2}
    assert counts["language"] == {"en": 1, "fr": 1}

    with translation.override("en"):
        results = selectors.search(user=None, filters=Filters(levers=["funding"]))
        assert results.count == 2
        facets = results.facets()
    counts = {name: {o.value: (o.count, o.selected) for o in options} for name, options in facets.items()}
    # The lever facet still offers the other lever, with how many it would add; the others narrow.
    assert counts["lever"] == {"workforce": (2, False), "funding": (2, True)}
    assert counts["kind"] == {"link": (1, False), "case_study": (1, False)}
    assert titles(levers=["funding"], kinds=["case_study"]) == ["Rural nurses"]
    assert titles(levers=["funding"], countries=[kz.pk]) == []
    assert titles(regions=["EUR"], languages=["en"]) == ["Rural clinics"]


def _queries_for_page(client, user=None):
    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/library/", {"q": "care"})
    assert response.status_code == 200
    return len(queries), response


def test_the_page_takes_the_same_few_queries_for_3_or_10_items(client, kz, fr):
    event = make_event(title="Care webinar")
    for i in range(3):
        make_resource(title=f"Care study {i}", countries=[kz, fr], levers=["workforce"])
    event_services.add_material(event=event, kind="slides", title="Care slides", url="https://example.org/s")
    few, response = _queries_for_page(client)
    assert response.content.decode().count('class="card library-item"') == 4
    for i in range(7):
        make_resource(title=f"Care review {i}", countries=[kz], levers=["funding"], kind=Kind.DOCUMENT,
                      file=pdf_upload("Primary care."))
        event_services.add_material(event=event, kind="slides", title=f"Care slides {i}", url="https://example.org/s")
    many, response = _queries_for_page(client)
    assert response.content.decode().count('class="card library-item"') == 18
    assert few == many
    # Facets and counts (1), the page (1), resources and their countries (2), materials (1), country names (1).
    assert many <= 6


def test_the_page_queries_are_bounded_for_a_signed_in_member_too(client, django_assert_max_num_queries, kz):
    for i in range(5):
        make_resource(title=f"Care study {i}", countries=[kz])
    user = UserFactory()
    client.force_login(user)
    with django_assert_max_num_queries(12):
        assert client.get("/en/library/", {"q": "care", "country": kz.pk}).status_code == 200
