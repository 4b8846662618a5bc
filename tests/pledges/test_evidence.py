"""Evidence documents of a progress report: PDFs checked by their content, read by whoever may read the report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pledges import services
from pledges.models import CommitmentProgress
from tests.members.pdfs import MINIMAL_PDF, NOT_A_PDF
from tests.outcomes import outcome
from tests.pledges.conftest import entries_for, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(kz, kz_fp, secretariat):
    return services.start_progress_report(pledge=publish(kz, kz_fp, secretariat), by=kz_fp)


def form_data(report, upload=None):
    data = {"action": "save"}
    for e in report.entries.all():
        data.update({f"c{e.commitment_id}-completion": "limited", f"c{e.commitment_id}-narrative": "Begun."})
    first = report.entries.order_by("commitment__position").first()
    if upload is not None:
        data[f"c{first.commitment_id}-evidence_file"] = upload
    return data, first


def test_a_focal_point_attaches_a_pdf_and_it_is_public_once_the_report_is(client, report, kz_fp, fr_fp, secretariat):
    client.force_login(kz_fp)
    data, entry = form_data(report, SimpleUploadedFile("decree.pdf", MINIMAL_PDF, content_type="application/pdf"))
    response = client.post(reverse("pledges:progress-edit", args=[report.pk]), data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.evidence_file and entry.evidence_file.name.startswith("evidence/")
    assert "decree" not in entry.evidence_file.name  # nothing of the person or country in the stored name
    url = reverse("pledges:evidence", args=[entry.pk])
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == MINIMAL_PDF
    assert download["X-Content-Type-Options"] == "nosniff" and "no-store" in download["Cache-Control"]

    # While the report is a draft: another country's focal point gets 404, a visitor is asked to sign in.
    client.force_login(fr_fp)
    assert outcome(client.get(url)) == 404
    client.logout()
    assert outcome(client.get(url)) == "login"

    services.save_progress_draft(report=report, by=kz_fp, entries=entries_for(report))
    services.submit_progress_report(report=report, by=kz_fp)
    services.publish_progress_report(report=report, by=secretariat)
    assert client.get(url).status_code == 200
    page = client.get(reverse("pledges:progress", args=[report.pk])).content.decode()
    assert url in page


@pytest.mark.parametrize("content", [NOT_A_PDF, b"<html>%PDF-1.4</html>"])
def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_typed_is_lost(client, report, kz_fp, content):
    client.force_login(kz_fp)
    data, entry = form_data(report, SimpleUploadedFile("decree.pdf", content, content_type="application/pdf"))
    response = client.post(reverse("pledges:progress-edit", args=[report.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "not a PDF document" in html and "Begun." in html
    assert not CommitmentProgress.objects.filter(narrative="Begun.").exists()
    entry.refresh_from_db()
    assert not entry.evidence_file


def test_an_entry_without_a_document_answers_404(client, report, kz_fp):
    client.force_login(kz_fp)
    entry = report.entries.first()
    assert client.get(reverse("pledges:evidence", args=[entry.pk])).status_code == 404
    assert client.get(reverse("pledges:evidence", args=[999999])).status_code == 404
