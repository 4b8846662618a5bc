"""The annual report with all 194 WHO Member States as members: our time beside WeasyPrint's own.

Runs on a throwaway database (the test settings' own servers, or DATABASE_URL's server with a test_
database). Every country accedes between 2019 and 2025 with a published pledge of three to six
commitments and a progress report for the year; there are Core Group seats, co-leads, champions
and twelve events. Then the annual report for 2025 is built three times:

  whole build  = our queries and templates (the HTML) + WeasyPrint (the PDF), as the Celery task does
  WeasyPrint   = WeasyPrint alone on the same HTML
  overhead     = (whole build - WeasyPrint) / WeasyPrint       aim: under 20 %, whole under 30 s
"""

import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.test_settings")

import django

django.setup()

from django.db import connection
from django.test.utils import setup_databases, teardown_databases

YEAR = 2025
RUNS = 3


def world():
    from events.models import Event, Registration
    from members import services
    from members.models import Champion, ChampionCommitment, CoLead, CoreGroupSeat, Country
    from pledges.models import Commitment, CommitmentProgress, Indicator, IndicatorValue, Lever, Pledge, ProgressReport

    rng = random.Random(8)
    levers = list(Lever.values)
    countries = list(Country.objects.order_by("name"))
    for country in countries:
        since = date(2019, 1, 1) + timedelta(days=rng.randrange(7 * 365 - 60))
        membership = services.accede(country=country, received_on=min(since, date(YEAR, 12, 1)),
                                     contact_name="Contact Person",
                                     contact_email=f"contact@{country.iso3.lower()}.example.org")
        term = membership.terms.order_by("number").first()
        published = datetime.combine(term.start, datetime.min.time(), UTC) + timedelta(days=60)
        pledge = Pledge.objects.create(
            country=country, membership=membership, term=term, title=f"Primary health care for all in {country.name}",
            vision="Care close to home, for everyone, paid for fairly.", status="published",
            accepted_at=published, published_at=published,
        )
        commitments = Commitment.objects.bulk_create(
            Commitment(pledge=pledge, position=i, description=f"Commitment {i + 1} of {country.name}: "
                       "strengthen primary care teams and their funding.", levers=rng.sample(levers, 2),
                       components=["integrated_services"], target_date=date(YEAR + 3, 12, 31))
            for i in range(rng.randint(3, 6))
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(commitment=c, name="Share of people registered with a PHC team", unit="percent",
                      baseline_value=50, baseline_year=YEAR - 2, target_value=90, target_year=YEAR + 3)
            for c in commitments
        )
        if published.year < YEAR:
            report = ProgressReport.objects.create(
                pledge=pledge, year=YEAR, due_on=date(YEAR, published.month, min(published.day, 28)),
                status="published", submitted_at=published, published_at=published + timedelta(days=400),
            )
            CommitmentProgress.objects.bulk_create(
                CommitmentProgress(report=report, commitment=c, narrative="On the way.",
                                   completion=rng.choice(["not_started", "limited", "substantial", "complete"]))
                for c in commitments
            )
            IndicatorValue.objects.bulk_create(
                IndicatorValue(report=report, indicator=i, value=rng.choice([55, 62, 70, 91]), year=YEAR)
                for i in indicators
            )
    services.renew_due_memberships(today=date(YEAR, 12, 31))
    for i, country in enumerate(countries[:12]):
        CoreGroupSeat.objects.create(country=country, start=date(YEAR - 1, 1 + i % 12, 1),
                                     end=date(YEAR + 2, 1 + i % 12, 1))
        CoLead.objects.create(year=YEAR, line=["political_mobilization", "policy_advocacy",
                                               "knowledge_exchange"][i % 3], country=country)
        champion = Champion.objects.create(name=f"Champion {i + 1}", title="Minister of Health", country=country)
        ChampionCommitment.objects.create(champion=champion, start=date(YEAR - 1, 3, 1), end=date(YEAR + 1, 3, 1))
    for month in range(1, 13):
        start = datetime(YEAR, month, 10, 12, tzinfo=UTC)
        event = Event.objects.create(title=f"Coalition webinar {month}", kind="webinar", starts_at=start,
                                     ends_at=start + timedelta(hours=2), venue="Online", public=True)
        Registration.objects.bulk_create(
            Registration(event=event, name=f"Delegate {c.iso3}", email=f"d@{c.iso3.lower()}.example.org", country=c,
                         status="confirmed", confirmed_at=start - timedelta(days=5))
            for c in rng.sample(countries, 40)
        )


def main():
    from reports import rendering

    old = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        world()
        print(f"194 member countries, pledges, progress, events: set up in {time.perf_counter() - started:.1f} s")
        whole, ours, weasy, queries = [], [], [], []
        rendering.to_pdf(rendering.annual_html(year=YEAR, language="ru"))  # warm-up: fonts, imports, caches
        for run in range(RUNS):
            count = [0]

            def counter(execute, sql, params, many, context, count=count):
                count[0] += 1
                return execute(sql, params, many, context)

            # Alternate which goes first, so neither gains from what the other left in memory.
            def build_whole():
                t0 = time.perf_counter()
                with connection.execute_wrapper(counter):
                    html = rendering.annual_html(year=YEAR, language="ru")
                t1 = time.perf_counter()
                built = rendering.to_pdf(html)
                whole.append(time.perf_counter() - t0)
                ours.append(t1 - t0)
                return html, built

            def weasyprint_alone(html):
                t0 = time.perf_counter()
                alone = rendering.to_pdf(html)
                weasy.append(time.perf_counter() - t0)
                return alone

            if run % 2 == 0:
                html, built = build_whole()
                alone = weasyprint_alone(html)
            else:
                alone = weasyprint_alone(html)
                html, built = build_whole()
            queries.append(count[0])
        w, o, p = statistics.median(whole), statistics.median(ours), statistics.median(weasy)
        print(f"annual report {YEAR} (Russian edition), median of {RUNS}:")
        print(f"  whole build (queries + templates + WeasyPrint)  {w:7.2f} s   {built.pages} pages, "
              f"{len(built.pdf) / 1024:.0f} KiB, {queries[-1]} queries")
        print(f"  WeasyPrint alone on the same HTML                {p:7.2f} s   {alone.pages} pages")
        print(f"  our queries and templates                        {o:7.2f} s   {100 * o / p:.1f} % "
              f"of WeasyPrint's time (aim < 20 %)")
        print(f"  whole build / WeasyPrint alone                   {w / p:7.2f}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
