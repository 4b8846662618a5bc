"""Where a page's time goes: `make profile PAGE=/en/members/?status=all`.

Fills a throwaway database as `bench_pages` does, renders the page in-process with the site cache
off, prints the median time and query count of a few renders with kept reads and fragments and with
nothing kept, then pyinstrument's call tree of the page drawn with nothing kept. Not a benchmark
(that is `make bench`): a tool to find the cause before fixing it.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402

from bench.bench_pages import populate, populate_people  # noqa: E402

RENDERS = 15


def main(paths):
    from pyinstrument import Profiler

    old = setup_databases(verbosity=0, interactive=False)
    try:
        populate()
        populate_people()
        client = Client()
        if os.environ.get("SIGNED_IN"):
            from django.contrib.auth import get_user_model
            client.force_login(get_user_model().objects.get(email="fp@kz.example.org"))
        for path in paths:
            # Kept: reads and fragments reused (the fresh figure); nothing kept: as in a new process.
            for kept in (True, False):
                with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0, DEBUG=False, ALLOWED_HOSTS=["*"],
                                       REUSE_RENDERING=kept):
                    assert client.get(path).status_code == 200, path
                    times = []
                    for _ in range(RENDERS):
                        started = time.perf_counter()
                        with CaptureQueriesContext(connection) as queries:
                            client.get(path)
                        times.append((time.perf_counter() - started) * 1000)
                    print(f"\n{path} ({'kept' if kept else 'nothing kept'}): median {statistics.median(times):.1f} ms,"
                          f" min {min(times):.1f} ms, {len(queries)} queries,"
                          f" {sum(float(q['time']) for q in queries.captured_queries) * 1000:.1f}"
                          " ms in the database (as Django measures it)")
                    if kept:
                        continue
                    profiler = Profiler(interval=0.0002)
                    with profiler:
                        for _ in range(5):
                            client.get(path)
                    print(profiler.output_text(unicode=True, color=False, show_all=False))
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1:] or ["/en/members/?status=all"])
