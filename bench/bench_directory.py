"""Latency of the public directory and a country page under concurrent load, against gunicorn.

194 member countries, each with a published pledge and a progress report, in a throwaway database.
A bare Django view in the same server and run gives the floor; the ratio is what our pages cost.
"""

import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.test_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from coalition import local_servers  # noqa: E402

CONCURRENCY = 8
REQUESTS_PER_URL = 400
PORT = 8765


def populate():
    from members import dates
    from members.models import Country, LetterOfInterest, Membership, Term
    from pledges.models import Commitment, CommitmentProgress, Indicator, IndicatorValue, Pledge, ProgressReport

    now = timezone.now()
    for i, country in enumerate(Country.objects.order_by("iso3")):
        start = date(2023, 1, 1) + timedelta(days=i)
        letter = LetterOfInterest.objects.create(country=country, received_on=start, status="accepted", decided_at=now)
        membership = Membership.objects.create(country=country, letter=letter, started_on=start,
                                               expires_on=dates.term_end(start))
        term = Term.objects.create(membership=membership, number=1, start=start, end=membership.expires_on)
        pledge = Pledge.objects.create(country=country, membership=membership, term=term, title=f"Pledge {country.iso3}",
                                       vision="Care close to home.", status="published", submitted_at=now,
                                       accepted_at=now, published_at=now)
        commitments = [Commitment.objects.create(pledge=pledge, position=p, description=f"Commitment {p}",
                                                 levers=["models_of_care"], components=["integrated_services"],
                                                 target_date=date(2029, 1, 1)) for p in range(3)]
        report = ProgressReport.objects.create(pledge=pledge, year=2026, due_on=date(2026, 6, 1), status="published",
                                               submitted_at=now, published_at=now)
        for c in commitments:
            indicator = Indicator.objects.create(commitment=c, name="Share", unit="percent", baseline_value=10,
                                                 baseline_year=2022, target_value=50, target_year=2029)
            IndicatorValue.objects.create(report=report, indicator=indicator, value=30, year=2025)
            CommitmentProgress.objects.create(report=report, commitment=c, completion="substantial")


def load(url):
    latencies, errors = [], []
    lock = threading.Lock()
    per_thread = REQUESTS_PER_URL // CONCURRENCY

    def worker():
        for _ in range(per_thread):
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
                    ok = response.status == 200
            except Exception as exc:  # noqa: BLE001 - counted and printed
                ok = False
                with lock:
                    errors.append(repr(exc))
            elapsed = time.perf_counter() - started
            if ok:
                with lock:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {
        "median": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "n": len(latencies),
        "errors": len(errors),
    }


def start_server(env):
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", "3", "--log-level", "warning"], cwd=ROOT, env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/bare", timeout=1).read()
            break
        except Exception:  # noqa: BLE001 - the server is starting
            time.sleep(0.2)
    return server


def run_load(label):
    base = f"http://127.0.0.1:{PORT}"
    urls = {
        "bare Django view": base + "/bench/bare",
        "directory (194 members, all)": base + "/en/members/?status=all",
        "directory, filtered (AFR, published)": base + "/en/members/?region=AFR&pledge=published",
        "country page (Kazakhstan)": base + "/en/countries/kaz/",
    }
    for url in urls.values():  # warm up every worker
        for _ in range(6):
            urllib.request.urlopen(url, timeout=30).read()
    print(f"\n{label}: gunicorn 3 workers, {CONCURRENCY} concurrent clients, {REQUESTS_PER_URL} requests per URL")
    results = {name: load(url) for name, url in urls.items()}
    floor = results["bare Django view"]["median"]
    for name, r in results.items():
        print(f"{name:<40} median {r['median']:7.1f} ms   p95 {r['p95']:7.1f} ms   "
              f"x{r['median'] / floor:5.1f} of bare   ({r['n']} ok, {r['errors']} errors)")


def main():
    old = setup_databases(verbosity=0, interactive=False)
    server = None
    try:
        populate()
        db = settings.DATABASES["default"]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": local_servers.database_url(db) if not os.environ.get("DATABASE_URL")
            else os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + db["NAME"],
            "REDIS_URL": settings.REDIS_URL,
            "DEBUG": "0", "SECRET_KEY": "bench-" + "k" * 50, "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0", "CONN_MAX_AGE": "60", "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True)
        for label, seconds in [("site cache off: every request renders", "0"),
                               ("site cache on (default, 60 s): anonymous copies from Redis", "60")]:
            server = start_server({**env, "PUBLIC_PAGE_CACHE_SECONDS": seconds})
            run_load(label)
            server.terminate()
            server.wait(timeout=10)
            server = None
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
