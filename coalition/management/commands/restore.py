"""`manage.py restore PATH`: an archive of `manage.py backup` into an empty database and storage."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from coalition import backup


class Command(BaseCommand):
    help = ("Restore an archive written by `backup` into an empty database and empty storage, after checking "
            "every checksum; the rows of every table and every file are compared with the backup afterwards.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive")
        parser.add_argument("--database-url", default="",
                            help="the database to restore into (default: the platform's own, DATABASE_URL or embedded)")
        parser.add_argument("--force", action="store_true",
                            help="replace what the database and storage already hold (its schemas are dropped)")

    def handle(self, *args, path, database_url, force, **options):
        database = (backup.Database.from_url(database_url) if database_url
                    else backup.Database.from_settings(connections["default"].settings_dict))
        # The platform's own connection must not hold the target open while its schema is replaced.
        connections.close_all()
        try:
            figures = backup.restore(Path(path), database=database, force=force, log=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Restored the backup of {figures['created_at']} in {figures['seconds']} s: {figures['tables']} tables, "
            f"{figures['rows']:,} rows and {figures['files']} files ({figures['bytes']:,} bytes), all matching the backup."
        ))
        if figures["missing"]:
            self.stderr.write(self.style.WARNING(
                f"{len(figures['missing'])} files were already missing when the backup was made; their rows are "
                "restored without them (the staff pages say so)."))
