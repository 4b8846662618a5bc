"""`manage.py backup PATH`: the database and every stored file in one archive (see coalition/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from coalition import backup


class Command(BaseCommand):
    help = ("Write one .tar archive with a pg_dump of the database, every stored file and a manifest with "
            "checksums and the schema version. PATH is a file, or a folder to write a dated archive into.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write, or a folder for coalition-YYYYMMDD-HHMMSS.tar")
        parser.add_argument("--database-url", default="",
                            help="the database to back up (default: the platform's own, DATABASE_URL or embedded)")
        parser.add_argument("--keep", type=int, default=0,
                            help="with a folder: keep only this many newest archives in it (0: keep all)")

    def handle(self, *args, path, database_url, keep, **options):
        target = Path(path)
        if keep and not target.is_dir():
            raise CommandError("--keep needs PATH to be a folder of archives.")
        if not target.is_dir() and not target.parent.is_dir():
            raise CommandError(f"No folder {target.parent} to write the archive into.")
        database = (backup.Database.from_url(database_url) if database_url
                    else backup.Database.from_settings(connections["default"].settings_dict))
        try:
            manifest = backup.backup(target, database=database, log=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        files = manifest["files"]
        self.stdout.write(
            f"Wrote {manifest['archive']}: {manifest['archive_size']:,} bytes in {manifest['seconds']} s; "
            f"{len(manifest['database']['tables'])} tables, {sum(manifest['database']['tables'].values()):,} rows, "
            f"{len(files)} files ({sum(f['size'] for f in files):,} bytes)."
        )
        for gone in manifest["missing"]:
            self.stderr.write(self.style.WARNING(
                f"Missing file: {gone['field']} of row {gone['pk']} names {gone['storage']}/{gone['name']}, "
                "which is not in its storage; the backup has the row without the file."))
        if keep:
            for old in backup.prune(target, keep=keep):
                self.stdout.write(f"Deleted the old archive {old}.")
