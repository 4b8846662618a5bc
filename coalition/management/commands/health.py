"""`manage.py health [check ...]`: the deep health checks from a shell; exit status 1 when one fails.

docker-compose's worker and beat healthchecks run it (`health workers`, `health beat`).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from coalition import health


class Command(BaseCommand):
    help = "Run the deep health checks (database, redis, workers, beat, outbox); exit 1 if one fails."

    def add_arguments(self, parser):
        parser.add_argument("checks", nargs="*", choices=sorted(health.CHECKS), metavar="check",
                            help=f"Checks to run (default: all): {', '.join(health.CHECKS)}")

    def handle(self, *args, checks, **options):
        report = health.run(checks or None)
        self.stdout.write(json.dumps(report, indent=2))
        if report["status"] != "ok":
            raise CommandError("unhealthy: " + ", ".join(
                name for name, result in report["checks"].items() if result["status"] != "ok"))
