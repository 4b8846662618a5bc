"""The state machine of a report request, built in-process through the services (the task calls the same)."""

import threading
from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections

from reports import rendering, services
from reports.models import ReportRequest
from tests.factories import StaffFactory, UserFactory
from tests.reports.conftest import pdf_text, read_file

Status = ReportRequest.Status


def test_asking_twice_while_queued_returns_the_same_request(world):
    first, created = services.request_report(kind="annual", year=2025, language="en", by=world.staff)
    again, created_again = services.request_report(kind="annual", year=2025, language="en", by=StaffFactory())
    assert created and not created_again and again.pk == first.pk and first.status == Status.QUEUED
    other, created_other = services.request_report(kind="annual", year=2025, language="fr", by=world.staff)
    assert created_other and other.pk != first.pk
    assert ReportRequest.objects.count() == 2


def test_a_ready_report_can_be_asked_for_again_and_is_built_anew(world):
    first, _ = services.request_report(kind="profile", country=world.kz, language="en", by=world.staff)
    services.build_report(report_id=first.pk)
    second, created = services.request_report(kind="profile", country=world.kz, language="en", by=world.staff)
    assert created and second.pk != first.pk


@pytest.mark.parametrize("params,message", [
    ({"kind": "annual", "year": 2026}, "no annual report for 2026"),
    ({"kind": "annual", "year": None}, "Choose the year"),
    ({"kind": "profile"}, "Choose the country"),
    ({"kind": "certificate", "country_iso2": "BR"}, "not a member"),
    ({"kind": "certificate", "country_iso2": "IT"}, "not a member"),  # its membership ended in April 2025
    ({"kind": "annual", "year": 2025, "language": "de"}, "English, Russian or French"),
])
def test_what_cannot_be_built_is_refused_with_a_reason(world, params, message):
    from members.models import Country

    params = dict(params)
    iso2 = params.pop("country_iso2", None)
    params.setdefault("language", "en")
    with pytest.raises(ValidationError, match=message):
        services.request_report(by=world.staff, country=Country.objects.get(iso2=iso2) if iso2 else None, **params)
    assert not ReportRequest.objects.exists()


def test_only_secretariat_staff_may_ask(world):
    for person in [UserFactory(), world.kz_fp, UserFactory(is_staff=True)]:  # the last: staff outside the group
        with pytest.raises(ValidationError, match="Only secretariat staff"):
            services.request_report(kind="annual", year=2025, language="en", by=person)
    assert not ReportRequest.objects.exists()


def test_build_goes_queued_building_ready_and_stores_a_private_file(world, django_capture_on_commit_callbacks):
    report, _ = services.request_report(kind="annual", year=2025, language="ru", by=world.staff, enqueue=False)
    assert report.status == Status.QUEUED and report.attempts == 0
    seen = []
    real = rendering.html_for

    def spy(r):
        seen.append(ReportRequest.objects.get(pk=r.pk).status)
        return real(r)

    rendering.html_for, original = spy, rendering.html_for
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert services.build_report(report_id=report.pk) == "ready"
    finally:
        rendering.html_for = original
    report.refresh_from_db()
    assert seen == [Status.BUILDING]
    assert report.status == Status.READY and report.attempts == 1 and report.pages >= 8
    assert report.started_at <= report.finished_at and report.failure_reason == ""
    path = report.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and not path.startswith(str(settings.MEDIA_ROOT))
    assert "2025" in path and "annual" not in path and "ru" not in path.rsplit("/", 1)[1]  # nothing guessable
    with pytest.raises(ValueError):
        _ = report.file.url  # no public URL exists
    assert "мая 2025" in pdf_text(read_file(report))
    # The person who asked is told, in their language, with the link of the report's page.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["staff@example.org"]
    assert f"/en/reports/{report.pk}/" in mail.outbox[0].body


def test_building_again_does_nothing_once_ready(world, django_capture_on_commit_callbacks):
    report, _ = services.request_report(kind="profile", country=world.kz, language="en", by=world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.build_report(report_id=report.pk)
    report.refresh_from_db()
    name = report.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert services.build_report(report_id=report.pk) == "done"
    report.refresh_from_db()
    assert report.file.name == name and report.attempts == 1
    assert len(mail.outbox) == 1
    assert services.notify_ready(report_id=report.pk) == 0  # told once


def test_a_failed_build_records_why_and_can_be_retried(world, monkeypatch):
    report, _ = services.request_report(kind="annual", year=2025, language="en", by=world.staff, enqueue=False)

    def broken(r):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(rendering, "html_for", broken)
    assert services.build_report(report_id=report.pk) == "failed"
    report.refresh_from_db()
    assert report.status == Status.FAILED and "RuntimeError: template exploded" in report.failure_reason
    assert not report.file

    with pytest.raises(ValidationError, match="Only secretariat staff"):
        services.retry_report(report=report, by=world.kz_fp)
    monkeypatch.undo()
    services.retry_report(report=report, by=world.staff)
    report.refresh_from_db()
    assert report.status == Status.QUEUED and report.failure_reason == "" and report.attempts == 0
    assert services.build_report(report_id=report.pk) == "ready"
    with pytest.raises(ValidationError, match="Only a failed report"):
        services.retry_report(report=report, by=world.staff)


def test_retry_is_refused_while_the_same_report_is_active(world, monkeypatch):
    report, _ = services.request_report(kind="annual", year=2025, language="en", by=world.staff, enqueue=False)
    monkeypatch.setattr(rendering, "html_for", lambda r: 1 / 0)
    services.build_report(report_id=report.pk)
    _other, created = services.request_report(kind="annual", year=2025, language="en", by=world.staff, enqueue=False)
    assert created
    with pytest.raises(ValidationError, match="already queued"):
        services.retry_report(report=report, by=world.staff)


def test_soft_time_limit_fails_the_build_with_a_reason(world, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    report, _ = services.request_report(kind="annual", year=2025, language="en", by=world.staff, enqueue=False)

    def slow(r):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(rendering, "html_for", slow)
    assert services.build_report(report_id=report.pk) == "failed"
    report.refresh_from_db()
    assert "took longer than" in report.failure_reason


def test_sweep_requeues_a_build_whose_worker_died_and_gives_up_after_max_attempts(world):
    report, _ = services.request_report(kind="annual", year=2025, language="en", by=world.staff, enqueue=False)
    # As a killed worker leaves it: building, nobody holding its lock.
    ReportRequest.objects.filter(pk=report.pk).update(status=Status.BUILDING, attempts=1)
    assert services.sweep_stale_builds()["requeued"] == 1
    report.refresh_from_db()
    assert report.status == Status.QUEUED
    ReportRequest.objects.filter(pk=report.pk).update(status=Status.BUILDING, attempts=settings.REPORTS_MAX_ATTEMPTS)
    assert services.sweep_stale_builds()["failed"] == 1
    report.refresh_from_db()
    assert report.status == Status.FAILED and "interrupted" in report.failure_reason


def test_a_redelivered_task_takes_over_an_orphaned_build(world):
    report, _ = services.request_report(kind="certificate", country=world.kz, language="en", by=world.staff,
                                        enqueue=False)
    ReportRequest.objects.filter(pk=report.pk).update(status=Status.BUILDING, attempts=1)
    assert services.build_report(report_id=report.pk) == "ready"
    report.refresh_from_db()
    assert report.status == Status.READY and report.attempts == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_live_build_is_left_alone_by_duplicates_and_by_the_sweep(time_machine):
    """Another connection holds the build's lock, as a live worker does: nobody else touches the row."""
    from tests.reports.conftest import build_world

    world = build_world(time_machine)
    report, _ = services.request_report(kind="profile", country=world.kz, language="en", by=world.staff,
                                        enqueue=False)
    ReportRequest.objects.filter(pk=report.pk).update(status=Status.BUILDING, attempts=1)
    locked, release = threading.Event(), threading.Event()

    def live_worker():
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [services.LOCK_NAMESPACE, report.pk])
            locked.set()
            release.wait(30)
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [services.LOCK_NAMESPACE, report.pk])
        connections.close_all()

    thread = threading.Thread(target=live_worker)
    thread.start()
    try:
        assert locked.wait(10)
        assert services.sweep_stale_builds()["requeued"] == 0
        ReportRequest.objects.filter(pk=report.pk).update(status=Status.QUEUED)
        assert services.build_report(report_id=report.pk) == "busy"
        ReportRequest.objects.filter(pk=report.pk).update(status=Status.BUILDING)
    finally:
        release.set()
        thread.join()
    assert services.sweep_stale_builds()["requeued"] == 1
    assert services.build_report(report_id=report.pk) == "ready"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_requests_for_the_same_report_make_one_row():
    staff = StaffFactory()
    barrier = threading.Barrier(4)
    results = []

    def ask():
        try:
            barrier.wait(5)
            report, created = services.request_report(
                kind="annual", year=date.today().year - 1, language="en", by=staff, enqueue=False)
            results.append((report.pk, created))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    assert len({pk for pk, _ in results}) == 1 and sum(created for _, created in results) == 1
    assert ReportRequest.objects.count() == 1


def test_certificate_is_mailed_to_the_focal_points_in_their_language(world, django_capture_on_commit_callbacks):
    report, _ = services.request_report(kind="certificate", country=world.kz, language="ru", by=world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.build_report(report_id=report.pk)
    recipients = sorted(a for m in mail.outbox for a in m.to)
    assert recipients == ["fp@kz.example.org", "staff@example.org"]
    to_fp = next(m for m in mail.outbox if m.to == ["fp@kz.example.org"])
    assert "/ru/reports/" in to_fp.body
    assert not any("fp@fr.example.org" in m.to for m in mail.outbox)


def test_publishing_is_for_ready_reports_other_than_certificates(world):
    report, _ = services.request_report(kind="annual", year=2025, language="en", by=world.staff, enqueue=False)
    with pytest.raises(ValidationError, match="ready"):
        services.publish_report(report=report, by=world.staff)
    services.build_report(report_id=report.pk)
    with pytest.raises(ValidationError, match="Only secretariat staff"):
        services.publish_report(report=report, by=world.kz_fp)
    services.publish_report(report=report, by=world.staff)
    report.refresh_from_db()
    assert report.published_at is not None and report.published_by == world.staff
    cert, _ = services.request_report(kind="certificate", country=world.kz, language="en", by=world.staff,
                                      enqueue=False)
    services.build_report(report_id=cert.pk)
    with pytest.raises(ValidationError, match="not published"):
        services.publish_report(report=cert, by=world.staff)
