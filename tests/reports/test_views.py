"""Who may ask for, follow, download and verify reports, over HTTP; outsiders get 404."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import ReportRequest
from tests.factories import UserFactory
from tests.outcomes import outcome
from tests.reports.conftest import pdf_text

Status = ReportRequest.Status


def _ready(world, **params):
    report, _ = services.request_report(by=world.staff, enqueue=False, **params)
    assert services.build_report(report_id=report.pk) == "ready"
    report.refresh_from_db()
    return report


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_staff_ask_for_a_report_on_the_reports_page(client, world):
    client.force_login(world.staff)
    page = client.get(reverse("reports:list"))
    assert page.status_code == 200 and b'name="kind"' in page.content
    response = client.post(reverse("reports:list"), {"kind": "annual", "year": "2025", "language": "fr"})
    report = ReportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.requested_by == world.staff and report.language == "fr" and report.status == Status.QUEUED
    # The same again while it waits: the same request, no second build.
    response = client.post(reverse("reports:list"), {"kind": "annual", "year": "2025", "language": "fr"})
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert ReportRequest.objects.count() == 1
    # A refusal is shown on the form.
    response = client.post(reverse("reports:list"), {"kind": "certificate", "country": "BRA", "language": "en"})
    assert response.status_code == 200 and "not a member" in response.content.decode()


def test_status_page_refreshes_itself_until_the_report_is_ready(client, world):
    report, _ = services.request_report(kind="annual", year=2025, language="en", by=world.staff, enqueue=False)
    client.force_login(world.staff)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and 'data-status="queued"' in page
    assert reverse("reports:download", args=[report.pk]) not in page
    ReportRequest.objects.filter(pk=report.pk).update(status=Status.BUILDING, started_at=timezone.now())
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and 'data-status="building"' in page
    services.build_report(report_id=report.pk)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page and 'data-status="ready"' in page
    assert reverse("reports:download", args=[report.pk]) in page


def test_failed_report_shows_the_reason_and_staff_can_retry(client, world, monkeypatch):
    from reports import rendering

    report, _ = services.request_report(kind="annual", year=2025, language="en", by=world.staff, enqueue=False)
    monkeypatch.setattr(rendering, "html_for", lambda r: 1 / 0)
    services.build_report(report_id=report.pk)
    client.force_login(world.staff)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "ZeroDivisionError" in page and 'http-equiv="refresh"' not in page
    client.force_login(world.kz_fp)
    assert client.post(reverse("reports:retry", args=[report.pk])).status_code == 404
    client.force_login(world.staff)
    client.post(reverse("reports:retry", args=[report.pk]))
    assert ReportRequest.objects.get(pk=report.pk).status == Status.QUEUED


def test_annual_reports_and_profiles_are_for_staff_until_published(client, world):
    report = _ready(world, kind="annual", year=2025, language="en")
    download = reverse("reports:download", args=[report.pk])
    detail = reverse("reports:detail", args=[report.pk])
    response = _get(client, world.staff, download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and "no-store" in response["Cache-Control"]
    assert "Annual report 2025" in pdf_text(b"".join(response.streaming_content))
    for outsider in [None, UserFactory(), world.kz_fp, UserFactory(is_staff=True)]:
        refused = "login" if outsider is None else 404
        assert outcome(_get(client, outsider, download)) == refused
        assert outcome(_get(client, outsider, detail)) == refused
        assert outcome(_get(client, outsider, reverse("reports:list"))) == refused
    assert _get(client, world.kz_fp, reverse("reports:publish", args=[report.pk])).status_code == 405
    client.force_login(world.kz_fp)
    assert client.post(reverse("reports:publish", args=[report.pk])).status_code == 404
    client.force_login(world.staff)
    client.post(reverse("reports:publish", args=[report.pk]))
    assert _get(client, None, download).status_code == 200
    assert _get(client, None, detail).status_code == 200
    assert detail in _get(client, None, reverse("reports:list")).content.decode()


def test_certificates_go_to_the_country_focal_points_only(client, world):
    report = _ready(world, kind="certificate", country=world.kz, language="ru")
    download = reverse("reports:download", args=[report.pk])
    assert _get(client, world.kz_fp, download).status_code == 200
    mine = _get(client, world.kz_fp, reverse("reports:list")).content.decode()
    assert reverse("reports:detail", args=[report.pk]) in mine and 'name="kind"' not in mine
    for outsider in [None, UserFactory(), world.fr_fp]:
        refused = "login" if outsider is None else 404
        assert outcome(_get(client, outsider, download)) == refused
        assert outcome(_get(client, outsider, reverse("reports:detail", args=[report.pk]))) == refused


def test_the_file_is_not_under_a_public_path(client, world):
    report = _ready(world, kind="profile", country=world.kz, language="en")
    assert _get(client, None, "/media/" + report.file.name).status_code == 404
    assert _get(client, None, "/en/media/" + report.file.name).status_code == 404


def test_anyone_can_verify_a_certificate_and_sees_nothing_private(client, world, time_machine):
    report = _ready(world, kind="certificate", country=world.kz, language="en")
    url = reverse("reports:verify", args=[report.verification_code])
    page = _get(client, None, url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Valid." in text and "Kazakhstan" in text and "10 May 2026" in text and "10 May 2021" in text
    for private in ["staff@example.org", "fp@kz.example.org", "contact@kz.example.org"]:
        assert private not in text
    # Lower case, as typed from paper, works too.
    assert _get(client, None, url.replace(report.verification_code, report.verification_code.lower())).status_code == 200
    assert _get(client, None, reverse("reports:verify", args=["NOTACODE1234567890AB"])).status_code == 404
    # After the certified term ends the certificate is no longer current.
    time_machine.move_to("2026-05-11T09:00:00+00:00", tick=False)
    assert "No longer current." in _get(client, None, url).content.decode()


def test_verification_says_when_the_membership_has_ended(client, world, time_machine):
    from members import services as members
    from members.models import Membership

    report = _ready(world, kind="certificate", country=world.de, language="en")
    time_machine.move_to("2026-01-02T09:00:00+00:00", tick=False)
    members.renew_due_memberships(today=timezone.localdate())
    assert Membership.objects.of(world.de, on=timezone.localdate()) is None
    assert "No longer valid." in _get(client, None, reverse("reports:verify", args=[report.verification_code])).content.decode()


def test_admin_lists_reports_and_add_goes_to_the_reports_page(client, world):
    report = _ready(world, kind="profile", country=world.kz, language="en")
    client.force_login(world.staff)
    assert client.get(reverse("admin:reports_reportrequest_changelist")).status_code == 200
    assert client.get(reverse("admin:reports_reportrequest_change", args=[report.pk])).status_code == 200
    assert client.get(reverse("admin:reports_reportrequest_add"))["Location"] == reverse("reports:list")
    client.post(reverse("admin:reports_reportrequest_changelist"),
                {"action": "publish", "_selected_action": [report.pk]})
    assert ReportRequest.objects.get(pk=report.pk).published_at is not None


@pytest.mark.parametrize("name", ["detail", "download"])
def test_unknown_report_is_404(client, world, name):
    client.force_login(world.staff)
    assert client.get(reverse(f"reports:{name}", args=[999999])).status_code == 404
