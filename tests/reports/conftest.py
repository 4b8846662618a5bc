"""A small Coalition with a year of history (2025) for the report tests."""

import subprocess
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

UTC = zoneinfo.ZoneInfo("UTC")
TODAY = datetime(2025, 11, 20, 9, 0, tzinfo=UTC)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "worker_process: starts real Celery worker processes and kills them (slow, ~30 s)",
    )


@dataclass
class World:
    staff: object
    kz: object
    fr: object
    de: object
    it: object
    kz_fp: object
    fr_fp: object
    pledge: object
    event: object


def build_world(time_machine) -> World:
    """KZ (member since 2021, Core Group, pledge and progress), CH (renewed in 2025), FR (acceded in 2025),
    DE (gave notice in 2025), IT (membership ended in 2025); an event held in May 2025."""
    from events import services as events
    from members import core_group
    from members import services as members
    from members.models import Champion
    from pledges import services as pledges
    from tests.factories import StaffFactory, member
    from tests.pledges.conftest import entries_for, make_focal_point, publish

    time_machine.move_to(datetime(2024, 6, 1, 9, tzinfo=UTC), tick=False)
    staff = StaffFactory(email="staff@example.org", language="en")
    kz_membership = member("KZ", since=date(2021, 5, 10))
    kz = kz_membership.country
    core_group.grant_seat(country=kz, start=date(2021, 5, 10))
    member("CH", since=date(2020, 5, 10))
    kz_fp = make_focal_point(kz, email="fp@kz.example.org", language="ru")
    pledge = publish(kz, kz_fp, staff)
    it_membership = member("IT", since=date(2020, 4, 1))
    time_machine.move_to(datetime(2024, 9, 1, 9, tzinfo=UTC), tick=False)
    members.give_notice(membership=it_membership, received_on=date(2024, 9, 1))

    time_machine.move_to(datetime(2025, 2, 1, 9, tzinfo=UTC), tick=False)
    fr = member("FR", since=date(2025, 2, 1)).country
    fr_fp = make_focal_point(fr, email="fp@fr.example.org", language="fr")
    de_membership = member("DE", since=date(2021, 1, 1))
    core_group.appoint_co_lead(year=2025, line="knowledge_exchange", country=kz)
    champion = Champion.objects.create(name="Aigerim Example", title="Minister of Health", country=kz)
    core_group.add_commitment(champion=champion, start=date(2025, 1, 15))
    event = events.create_event(
        title="WHA78 side event", kind="global", occasion="wha",
        starts_at=datetime(2025, 5, 20, 13, 0), ends_at=datetime(2025, 5, 20, 15, 0), timezone="Europe/Zurich",
        venue="Palais des Nations, Geneva",
    )
    events.register(event=event, name="Delegate of Kazakhstan", email="delegate@kz.example.org", country=kz, by=staff)

    time_machine.move_to(datetime(2025, 3, 1, 9, tzinfo=UTC), tick=False)
    members.give_notice(membership=de_membership, received_on=date(2025, 3, 1))

    time_machine.move_to(datetime(2025, 5, 25, 9, tzinfo=UTC), tick=False)
    members.renew_due_memberships(today=date(2025, 5, 25))
    report = pledges.start_progress_report(pledge=pledge, by=kz_fp)
    # 60 → 95 at 70 in 2025 is on track; 30 → 45 at 45 is achieved.
    entries = entries_for(report, value=70, narrative="Registration is under way.")
    second = report.entries.order_by("commitment__position")[1]
    for values in entries[second.commitment_id]["values"].values():
        values["value"] = 45
    for data in entries.values():
        for values in data["values"].values():
            values["year"] = 2025
    pledges.save_progress_draft(report=report, by=kz_fp, entries=entries)
    pledges.submit_progress_report(report=report, by=kz_fp)
    pledges.publish_progress_report(report=report, by=staff)

    time_machine.move_to(TODAY, tick=False)
    members.renew_due_memberships(today=TODAY.date())
    for obj in (kz, fr):
        obj.refresh_from_db()
    from members.models import Country

    return World(staff=staff, kz=kz, fr=fr, de=Country.objects.get(iso2="DE"), it=Country.objects.get(iso2="IT"),
                 kz_fp=kz_fp, fr_fp=fr_fp, pledge=pledge, event=event)


@pytest.fixture
def world(db, time_machine) -> World:
    return build_world(time_machine)


def pdf_text(data: bytes, *, pages: bool = False):
    """The text of a PDF by pdftotext (poppler), as the reader's tools see it; per page if asked."""
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode()
    return out.split("\f") if pages else out


def pdf_fonts(data: bytes) -> set[str]:
    import io

    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


def read_file(report) -> bytes:
    with report.file.open("rb") as f:
        return f.read()


def later(days: int):
    return timezone.now() + timedelta(days=days)


OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
