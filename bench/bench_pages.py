"""Latency and weight of the site's pages under concurrent load, against gunicorn.

194 member countries, each with a published pledge and a progress report, events and a focal point,
in a throwaway database. A bare Django view in the same server and run gives the floor; the ratio is
what our pages cost. Each page is measured in the four MODES (fresh, with the site cache, after a
change, nothing kept) and weighed as a first visit over the wire: its HTML as sent to a browser (compressed where the site
compresses) plus the stylesheet and images it references.
"""

import gzip
import os
import re
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
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from coalition import local_servers  # noqa: E402

CONCURRENCY = 8
REQUESTS_PER_URL = 200
PORT = 8765
# The servers' key: the focal point's session cookie is signed with it.
SECRET_KEY = "bench-" + "k" * 50
# The one pledge still in draft: its focal point's editor is measured.
DRAFT_PLEDGE = "GHA"


def populate():
    from members import dates
    from members.models import Country, LetterOfInterest, Membership, Term
    from pledges import services
    from pledges.models import Commitment, CommitmentProgress, Indicator, IndicatorValue, Pledge, ProgressReport

    now = timezone.now()
    for i, country in enumerate(Country.objects.order_by("iso3")):
        start = date(2023, 1, 1) + timedelta(days=i)
        letter = LetterOfInterest.objects.create(country=country, received_on=start, status="accepted", decided_at=now)
        membership = Membership.objects.create(country=country, letter=letter, started_on=start,
                                               expires_on=dates.term_end(start))
        term = Term.objects.create(membership=membership, number=1, start=start, end=membership.expires_on)
        draft = country.iso3 == DRAFT_PLEDGE
        pledge = Pledge.objects.create(
            country=country, membership=membership, term=term, title=f"Pledge {country.iso3}",
            vision="Care close to home.", status="draft" if draft else "published",
            submitted_at=None if draft else now, accepted_at=None if draft else now, published_at=None if draft else now)
        commitments = [Commitment.objects.create(pledge=pledge, position=p, description=f"Commitment {p}",
                                                 levers=["models_of_care"], components=["integrated_services"],
                                                 target_date=date(2029, 1, 1)) for p in range(3)]
        report = None if draft else ProgressReport.objects.create(
            pledge=pledge, year=2026, due_on=date(2026, 6, 1), status="published", submitted_at=now, published_at=now)
        for c in commitments:
            indicator = Indicator.objects.create(commitment=c, name="Share", unit="percent", baseline_value=10,
                                                 baseline_year=2022, target_value=50, target_year=2029)
            if report is not None:
                IndicatorValue.objects.create(report=report, indicator=indicator, value=30, year=2025)
                CommitmentProgress.objects.create(report=report, commitment=c, completion="substantial")
        if not draft:
            services.refresh_statuses(pledge)


def populate_people():
    """A focal point of Kazakhstan and of the country with a draft pledge, signed in through a session
    cookie; some events to list."""
    from allauth.account.models import EmailAddress
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.test import override_settings

    from events.models import Event
    from members.models import Country
    from pledges.models import FocalPoint

    user = get_user_model().objects.create_user(email="fp@kz.example.org", password="bench-password-1234")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for iso3 in ("KAZ", DRAFT_PLEDGE):
        FocalPoint.objects.create(country=Country.objects.get(iso3=iso3), user=user)
    with override_settings(SECRET_KEY=SECRET_KEY):
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "accounts.backends.KeptModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
    start = timezone.now() + timedelta(days=10)
    for i in range(12):
        Event.objects.create(title=f"Workshop {i}", kind="webinar", starts_at=start + timedelta(days=7 * i),
                             ends_at=start + timedelta(days=7 * i, hours=2), timezone="UTC",
                             online_url="https://example.org/w", public=True)
    return session.session_key


def _fetch(url, cookie=None, encoding="gzip"):
    headers = {"Accept-Encoding": encoding}
    if cookie:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        # A redirect (to sign in, say) would measure another page.
        status = response.status if response.geturl() == url else 302
        return status, response.headers, response.read()


def weigh(base, path, cookie=None):
    """Bytes on the wire for a first visit: the HTML as a browser gets it, and its CSS, scripts and images."""
    _status, headers, body = _fetch(base + path, cookie, encoding="br, gzip")
    html = gzip.decompress(body).decode() if headers.get("Content-Encoding") == "gzip" else body.decode()
    assets = set(re.findall(r'(?:href|src)="(/static/[^"#?]+\.(?:css|js|svg|png|jpg|webp))', html))
    asset_bytes = sum(len(_fetch(base + a, encoding="br, gzip")[2]) for a in assets)
    return {"html": len(body), "html_raw": len(html.encode()), "total": len(body) + asset_bytes}


def load(url, cookie=None):
    latencies, errors = [], []
    lock = threading.Lock()
    per_thread = REQUESTS_PER_URL // CONCURRENCY

    def worker():
        for _ in range(per_thread):
            started = time.perf_counter()
            try:
                status, _headers, _body = _fetch(url, cookie)
                ok = status == 200
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
    return {"latencies": latencies, "errors": len(errors)}


def summary(*loads):
    latencies = sorted(x for one in loads for x in one["latencies"])
    return {
        "median": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "n": len(latencies),
        "errors": sum(one["errors"] for one in loads),
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


PAGES = {
    "bare Django view": "/bench/bare",
    "home": "/en/",
    "directory (194 members, all)": "/en/members/?status=all",
    "directory, filtered (AFR, published)": "/en/members/?region=AFR&pledge=published",
    "country page (Kazakhstan)": "/en/countries/kaz/",
    "indicators": "/en/indicators/",
    "commitments explorer": "/en/pledges/",
    "events": "/en/events/",
    "focal point's dashboard (signed in)": "/en/dashboard/",
    "focal point's pledge (signed in)": "/en/pledges/{published}/",
    "focal point's pledge editor (signed in)": "/en/pledges/{draft}/edit/",
}
SIGNED_IN = {name for name in PAGES if "(signed in)" in name}
BARE = "bare Django view"


def resolve_pages():
    """PAGES with the pledges' ids filled in."""
    from pledges.models import Pledge

    ids = {"published": Pledge.objects.get(country__iso3="KAZ").pk,
           "draft": Pledge.objects.get(country__iso3=DRAFT_PLEDGE).pk}
    for name, path in PAGES.items():
        PAGES[name] = path.format(**ids)


def run_load(cookie):
    base = f"http://127.0.0.1:{PORT}"
    results = {}
    for name, path in PAGES.items():
        who = cookie if name in SIGNED_IN else None
        for _ in range(6):  # warm up every worker
            status, _headers, _body = _fetch(base + path, who)
            assert status == 200, (name, status)
        results[name] = load(base + path, who)
    # The floor is measured at the start and again at the end of the run, under the same load.
    results[BARE] = summary(results[BARE], load(base + PAGES[BARE]))
    return {name: result if name == BARE else summary(result) for name, result in results.items()}


# (name, site cache seconds, kept reads and fragments, data version moved on before each request)
MODES = [("fresh", "0", "1", "0"), ("cached", "60", "1", "0"), ("after a change", "0", "1", "1"),
         ("nothing kept", "0", "0", "0")]


def other_public_pages() -> dict[str, str]:
    """The public pages not measured under load, weighed only: every page a visitor reaches by the menu
    or a link from the measured ones, with the bench's data."""
    from events.models import Event
    from pledges.models import Pledge, ProgressReport

    kz_pledge = Pledge.objects.get(country__iso3="KAZ")
    return {
        "champions": "/en/champions/",
        "representativeness": "/en/members/representativeness/",
        "work plan": "/en/work-plan/",
        "Core Group decisions": "/en/core-group/decisions/",
        "news": "/en/news/",
        "library": "/en/library/",
        "a pledge (Kazakhstan)": f"/en/pledges/{kz_pledge.pk}/",
        "a progress report (Kazakhstan)": f"/en/progress/{ProgressReport.objects.get(pledge=kz_pledge).pk}/",
        "an event": f"/en/events/{Event.objects.order_by('starts_at').first().pk}/",
        "past events": "/en/events/?when=past",
        "the directory in Arabic": "/ar/members/?status=all",
        "the indicators in Chinese": "/zh-hans/indicators/",
    }


def report_weights(weights):
    print(f"\n{'other public pages, weighed':<38} {'HTML on wire':>13} {'first visit':>12}")
    for name, w in weights.items():
        print(f"{name:<38} {w['html'] / 1024:10.1f} KB {w['total'] / 1024:9.1f} KB")


def report(runs, weights):
    print(f"\ngunicorn 3 workers, {CONCURRENCY} concurrent clients, {REQUESTS_PER_URL} requests per URL and mode;"
          " median / p95 in ms, and the median's ratio to the bare view's median in the same run (the bare view"
          " measured at its start and at its end)")
    print(f"{'page':<38}" + "".join(f" {mode:>22}" for mode, *_ in MODES) + f" {'HTML on wire':>13} {'first visit':>12}")
    for name in PAGES:
        cells = []
        for mode, *_ in MODES:
            r = runs[mode][name]
            cells.append(f" {r['median']:6.1f} /{r['p95']:6.1f} {r['median'] / runs[mode][BARE]['median']:5.1f}x")
        errors = sum(runs[mode][name]["errors"] for mode, *_ in MODES)
        w = weights[name]
        print(f"{name:<38}" + "".join(cells) + f" {w['html'] / 1024:10.1f} KB {w['total'] / 1024:9.1f} KB"
              + (f"  ({errors} errors)" if errors else ""))
    print("fresh: the site cache off, every page read and drawn on each request, from reads kept until the data"
          " changes and fragments kept by the data they show; cached: the anonymous copy on; after a change: the"
          " data version moved on before every request, so kept reads and pages' bodies are read and drawn again;"
          " nothing kept: neither reads nor fragments kept, as in a new process.\n"
          "HTML on wire: compressed where the site compresses it; first visit: with the CSS and images it references,"
          " as whitenoise serves them.")


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
            "DEBUG": "0", "SECRET_KEY": SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0", "CONN_MAX_AGE": "60", "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True)
        cookie = populate_people()
        resolve_pages()
        # Otherwise the rows just written are vacuumed and analysed while the first pages are measured.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        runs, weights = {}, {}
        for mode, seconds, reuse, change in MODES:
            server = start_server({**env, "PUBLIC_PAGE_CACHE_SECONDS": seconds, "REUSE_RENDERING": reuse,
                                   "BENCH_CHANGE_BEFORE_EACH_REQUEST": change})
            runs[mode] = run_load(cookie)
            if mode == "fresh":
                base = f"http://127.0.0.1:{PORT}"
                weights = {name: weigh(base, path, cookie if name in SIGNED_IN else None)
                           for name, path in PAGES.items()}
                other_weights = {name: weigh(base, path) for name, path in other_public_pages().items()}
            server.terminate()
            server.wait(timeout=10)
            server = None
        report(runs, weights)
        report_weights(other_weights)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
