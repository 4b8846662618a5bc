"""`make run`: the site, the Celery workers (one for e-mail only) and Celery beat, on this machine's own servers."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from coalition import local_servers


class Command(BaseCommand):
    help = "Migrate, load demo data and serve the site with the Celery workers and beat until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        call_command("migrate", interactive=False, verbosity=1)
        call_command("load_demo")

        # Children reuse the servers this process started (or the configured ones), so they
        # neither start their own nor stop them on exit.
        child_env = {
            **os.environ,
            "DATABASE_URL": os.environ.get("DATABASE_URL")
            or local_servers.database_url(settings.DATABASES["default"]),
            "REDIS_URL": settings.REDIS_URL,
            "CACHE_URL": settings.PAGE_CACHE_URL,
        }
        from coalition.celery import WORKERS

        python = sys.executable
        celery = [python, "-m", "celery", "-A", "coalition"]
        commands = {
            "web": [python, "manage.py", "runserver", addrport],
            # E-mail has a worker of its own beside the one for reports and the rest (see WORKERS).
            **{name: [*celery, "worker", "-l", "info", *args] for name, args in WORKERS.items()},
            "beat": [*celery, "beat", "-l", "info", "-s", settings.CELERY_BEAT_SCHEDULE_FILENAME],
        }
        children = {name: subprocess.Popen(cmd, env=child_env) for name, cmd in commands.items()}
        self.stdout.write(self.style.SUCCESS(f"Serving on http://{addrport}/ — Ctrl-C stops everything."))
        try:
            while all(child.poll() is None for child in children.values()):
                time.sleep(0.5)
            failed = [name for name, child in children.items() if child.poll() is not None]
            self.stderr.write(f"Stopped: {', '.join(failed)} exited.")
        except KeyboardInterrupt:
            self.stdout.write("Stopping…")
        finally:
            self._stop(children)
            if not os.environ.get("REDIS_URL"):
                local_servers.stop_redis()
            if not os.environ.get("CACHE_URL") and not os.environ.get("REDIS_URL"):
                local_servers.stop_redis(name="cache")

    def _stop(self, children):
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
