"""`manage.py backup` and `manage.py restore`: a populated platform into a fresh database and fresh storage.

The restore goes into a second database on the same server (``<test database>_restore``) and into
storage roots under tmp_path; every table's rows (read over separate connections) and every file's
bytes are compared with the original.
"""

from __future__ import annotations

import contextlib
import io
import json
import tarfile
from datetime import timedelta

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from coalition import backup, versioning
from events import services as event_services
from events.models import Kind
from members import services as member_services
from members.models import Champion, LetterOfInterest
from reports.models import ReportRequest
from tests.coalition.test_object_storage import bucket, s3_server  # noqa: F401 - the S3 fixtures
from tests.factories import StaffFactory, member
from tests.members.pdfs import MINIMAL_PDF

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _populate():
    staff = StaffFactory()
    since = timezone.localdate() - timedelta(days=400)
    for iso2 in ("KZ", "FR", "GH"):
        member(iso2, since=since)
    for n, letter in enumerate(LetterOfInterest.objects.order_by("pk")):
        letter.letter.save("l.pdf", ContentFile(MINIMAL_PDF + f"% letter {n}".encode()))
    fr = LetterOfInterest.objects.get(country__iso2="FR").membership
    member_services.give_notice(membership=fr, received_on=timezone.localdate(), reference="MFA/1",
                                document=SimpleUploadedFile("n.pdf", MINIMAL_PDF + b"% notice",
                                                            content_type="application/pdf"))
    start = timezone.now() + timedelta(days=20)
    event = event_services.create_event(title="Members' workshop", kind=Kind.WEBINAR, public=False,
                                        online_url="https://meet.example.org/room", starts_at=start,
                                        ends_at=start + timedelta(hours=2), timezone="UTC")
    event_services.add_material(event=event, kind="agenda", title="Agenda",
                                file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 agenda"))
    champion = Champion.objects.create(name="H.E. Example", title="Minister", country=fr.country)
    champion.photo.save("p.jpg", ContentFile(b"\xff\xd8\xff\xe0 a photo" + bytes(range(256))))
    report = ReportRequest.objects.create(kind="annual", year=2025, language="en", requested_by=staff)
    report.file.save("r.pdf", ContentFile(MINIMAL_PDF + b"% report"), save=False)
    report.status, report.finished_at = ReportRequest.Status.READY, timezone.now()
    report.save()


def _params(dbname: str) -> dict:
    db = backup.Database.from_settings(connection.settings_dict)
    params = {"dbname": dbname, "user": db.user, "password": db.password, "host": db.host, "port": db.port}
    return {k: v for k, v in params.items() if v}


def _url(dbname: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    host = s["HOST"]
    if host.startswith("/"):  # the embedded server's socket folder
        return f"postgresql://{auth}@/{dbname}?host={host}"
    return f"postgresql://{auth}@{host or 'localhost'}:{s['PORT'] or 5432}/{dbname}"


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards; its URL."""
    name = f"{connection.settings_dict['NAME']}_restore"
    with psycopg.connect(autocommit=True, **_params("postgres")) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(autocommit=True, **_params("postgres")) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def storage_roots(root):
    """Every storage under ``root`` (fresh folders), as a new machine's would be."""
    with override_settings(MEDIA_ROOT=root / "media", PRIVATE_MEDIA_ROOT=root / "private", REPORTS_ROOT=""):
        backup.reset_storages()
        try:
            yield
        finally:
            backup.reset_storages()
    backup.reset_storages()


def _tables(dbname: str) -> dict[str, list]:
    """Every table's rows, in a fixed order, read over a connection of its own."""
    with psycopg.connect(**_params(dbname)) as conn:
        tables = backup._tables(conn)
        return {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}


def _files() -> dict[tuple[str, str], bytes]:
    entries = backup.storages()
    out = {}
    for label, name in backup.walk(entries):
        with entries[label].storage.open(name, "rb") as f:
            out[(label, name)] = f.read()
    return out


def _backup(tmp_path):
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    (archive,) = (tmp_path / "backups").glob("coalition-*.tar")
    return archive, out.getvalue()


@pytest.fixture
def archive(tmp_path):
    _populate()
    (tmp_path / "backups").mkdir()
    return _backup(tmp_path)[0]


def test_round_trip_restores_every_row_and_every_file(archive, fresh_database, tmp_path):
    original_rows = _tables(connection.settings_dict["NAME"])
    original_files = _files()
    kinds = {label for label, _name in original_files}
    assert {"default", "events", "private", "reports"} <= kinds, kinds  # photo, material, letters, report

    with tarfile.open(archive) as tar:
        manifest = backup.read_manifest(tar)
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, max(name) FROM django_migrations GROUP BY app")
        assert manifest["schema"] == dict(cursor.fetchall())
    assert {(f["storage"], f["name"]) for f in manifest["files"]} == set(original_files)
    assert manifest["database"]["tables"]["public.members_letterofinterest"] == 3
    assert manifest["missing"] == []

    out = io.StringIO()
    version = versioning.current()
    with storage_roots(tmp_path / "restored"):
        call_command("restore", str(archive), database_url=_url(fresh_database), stdout=out)
        restored_files = _files()
    assert "all matching the backup" in out.getvalue()
    assert versioning.current() > version  # what the site kept was drawn from the data before

    restored_rows = _tables(fresh_database)
    assert set(restored_rows) == set(original_rows)
    for table, rows in original_rows.items():
        assert restored_rows[table] == rows, table
    assert sum(map(len, restored_rows.values())) > 50
    assert restored_files == original_files
    assert list((tmp_path / "restored" / "private" / "letters").rglob("*.pdf"))


def _tampered(archive, tmp_path):
    """The archive with one byte of the signed letter changed (the manifest left as it was)."""
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith("files/private/letters/"))
    data[member.offset_data + 10] ^= 0x01
    copy = tmp_path / "tampered.tar"
    copy.write_bytes(bytes(data))
    return copy


def test_a_changed_byte_is_refused_and_nothing_is_written(archive, fresh_database, tmp_path):
    with storage_roots(tmp_path / "restored"), pytest.raises(CommandError, match="checksum mismatch"):
        call_command("restore", str(_tampered(archive, tmp_path)), database_url=_url(fresh_database))
    assert _tables(fresh_database) == {}
    assert not [p for p in (tmp_path / "restored").rglob("*") if p.is_file()]


def test_a_non_empty_target_is_refused_unless_forced(archive, fresh_database, tmp_path):
    with storage_roots(tmp_path / "restored"):
        call_command("restore", str(archive), database_url=_url(fresh_database), stdout=io.StringIO())
        with pytest.raises(CommandError, match="not empty.*migrations applied.*--force"):
            call_command("restore", str(archive), database_url=_url(fresh_database))
        # A row changed since: --force replaces the database (and the files) with the backup's.
        with psycopg.connect(autocommit=True, **_params(fresh_database)) as conn:
            conn.execute("UPDATE members_champion SET name = 'Changed'")
        out = io.StringIO()
        call_command("restore", str(archive), database_url=_url(fresh_database), force=True, stdout=out)
        assert "all matching the backup" in out.getvalue()
    assert _tables(fresh_database) == _tables(connection.settings_dict["NAME"])


def test_a_storage_with_files_is_refused(archive, fresh_database, tmp_path):
    (tmp_path / "restored" / "private" / "letters").mkdir(parents=True)
    (tmp_path / "restored" / "private" / "letters" / "old.pdf").write_bytes(b"%PDF old")
    with storage_roots(tmp_path / "restored"), pytest.raises(CommandError, match="storage private has files"):
        call_command("restore", str(archive), database_url=_url(fresh_database))
    assert _tables(fresh_database) == {}


def test_an_archive_of_a_newer_platform_is_refused(archive, fresh_database, tmp_path):
    newer = tmp_path / "newer.tar"
    with tarfile.open(archive) as source, tarfile.open(newer, "w") as target:
        for member in source.getmembers():
            body = source.extractfile(member).read()
            if member.name == backup.MANIFEST:
                manifest = json.loads(body)
                manifest["schema"]["members"] = "9999_from_the_future"
                body = json.dumps(manifest).encode()
                member.size = len(body)
            target.addfile(member, io.BytesIO(body))
    with storage_roots(tmp_path / "restored"), pytest.raises(CommandError, match="members.9999_from_the_future"):
        call_command("restore", str(newer), database_url=_url(fresh_database))
    assert _tables(fresh_database) == {}


def test_a_file_missing_from_disk_is_named_and_the_rest_is_kept(tmp_path):
    _populate()
    letter = LetterOfInterest.objects.get(country__iso2="GH")
    letter.letter.storage.delete(letter.letter.name)
    (tmp_path / "backups").mkdir()
    err = io.StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=io.StringIO(), stderr=err)
    (archive,) = (tmp_path / "backups").glob("*.tar")
    with tarfile.open(archive) as tar:
        manifest = backup.read_manifest(tar)
    assert manifest["missing"] == [{"storage": "private", "name": letter.letter.name,
                                    "field": "members.LetterOfInterest.letter", "pk": str(letter.pk)}]
    assert letter.letter.name in err.getvalue()
    assert len([f for f in manifest["files"] if f["name"].startswith("letters/")]) >= 2


def test_keep_deletes_all_but_the_newest_archives(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in ("20250101", "20250102", "20250103"):
        (folder / f"coalition-{day}-050000.tar").write_bytes(b"old")
    (folder / "unrelated.tar").write_bytes(b"kept")
    call_command("backup", str(folder), keep=2, stdout=io.StringIO())
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 3 and "unrelated.tar" in names and "coalition-20250103-050000.tar" in names
    assert "coalition-20250101-050000.tar" not in names


def test_tools_match_the_server_version():
    db = backup.Database.from_settings(connection.settings_dict)
    with db.connect() as conn:
        major, _ = backup._server_major(conn)
    path, version = backup.pick_tool("pg_dump", at_least=major)
    assert version[0] >= major and path.name == "pg_dump"
    with pytest.raises(backup.BackupError, match="No pg_dump of PostgreSQL 99 or later"):
        backup.pick_tool("pg_dump", at_least=99)


@pytest.mark.django_db
def test_on_object_storage_each_file_is_walked_once_under_its_own_storage(bucket):  # noqa: F811
    entries = backup.storages()
    entries["private"].storage.save("letters/2025/a.pdf", ContentFile(b"%PDF letter"))
    entries["events"].storage.save("materials/b.pdf", ContentFile(b"%PDF agenda"))  # under private/events/
    entries["default"].storage.save("champions/c.jpg", ContentFile(b"photo"))
    assert sorted(backup.walk(entries)) == [
        ("default", "champions/c.jpg"), ("events", "materials/b.pdf"), ("private", "letters/2025/a.pdf")]
    assert list(backup.walk({"events": entries["events"]}, first_only=True)) == [("events", "materials/b.pdf")]
