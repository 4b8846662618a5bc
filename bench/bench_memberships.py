"""Renewals and reminders over 10,000 synthetic memberships.

Runs on a throwaway database (the test settings' own servers, or DATABASE_URL's server with a
test_ database). There are only 194 real countries and a country has one membership at a time,
so the benchmark adds synthetic countries; to have 10,000 of them it drops the ISO-2 uniqueness
and format checks in that throwaway database only.
"""

import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

N = 10_000
TODAY = date(2026, 11, 28)


def synthetic_world(*, start_from: date, spread_days: int):
    from members import dates
    from members.models import Country, LetterOfInterest, Membership, Reminder, Term

    Reminder.objects.all().delete()
    Term.objects.all().delete()
    Membership.objects.all().delete()
    LetterOfInterest.objects.all().delete()
    Country.objects.filter(name__startswith="Synthetic ").delete()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE members_country DROP CONSTRAINT IF EXISTS members_country_iso2_key")
        cursor.execute("ALTER TABLE members_country DROP CONSTRAINT IF EXISTS members_country_m49_key")
        cursor.execute("ALTER TABLE members_country DROP CONSTRAINT IF EXISTS members_country_name_key")
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    real = set(Country.objects.values_list("iso3", flat=True))
    codes = [f"{a}{b}{c}" for a in letters for b in letters for c in letters if f"{a}{b}{c}" not in real]
    countries = Country.objects.bulk_create(
        Country(iso3=code, iso2="QQ", m49="999", name=f"Synthetic {code}", name_official=f"Synthetic {code}",
                who_region="EUR") for code in codes[:N]
    )
    rng = random.Random(42)
    starts = [start_from + timedelta(days=rng.randrange(spread_days)) for _ in range(N)]
    letters_ = LetterOfInterest.objects.bulk_create(
        LetterOfInterest(country=c, received_on=s, status="accepted", decided_at=django.utils.timezone.now(),
                         contact_email=f"contact@{c.iso3.lower()}.example.org")
        for c, s in zip(countries, starts)
    )
    memberships = Membership.objects.bulk_create(
        Membership(country=c, letter=l, started_on=s, expires_on=dates.term_end(s))
        for c, l, s in zip(countries, letters_, starts)
    )
    Term.objects.bulk_create(
        Term(membership=m, number=1, start=m.started_on, end=m.expires_on) for m in memberships
    )


def timed(label, fn):
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
    print(f"{label:<58} {elapsed:8.3f} s  {count[0]:6d} queries  result={result}")


def main():
    from coalition import mail
    from members import services

    # What is measured is deciding and queueing; nothing must reach the broker, where no worker would
    # take the thousands of messages (and a later test's worker would find them waiting).
    mail._enqueue = lambda mail_id: None
    services._deliver_soon = lambda: None

    old = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"{N} memberships started over the last five years (a normal day):")
        synthetic_world(start_from=TODAY - timedelta(days=5 * 365), spread_days=5 * 365)
        timed("renew_due_memberships, one day", lambda: services.renew_due_memberships(today=TODAY))
        timed("send_due_reminders, one day", lambda: services.send_due_reminders(today=TODAY))
        timed("renew_due_memberships, same day again (nothing due)", lambda: services.renew_due_memberships(today=TODAY))
        timed("send_due_reminders, same day again (nothing due)", lambda: services.send_due_reminders(today=TODAY))

        print(f"\n{N} memberships started 10 to 5 years ago, renewals never run (five-year catch-up):")
        synthetic_world(start_from=TODAY - timedelta(days=10 * 365), spread_days=5 * 365)
        timed("renew_due_memberships, catch-up", lambda: services.renew_due_memberships(today=TODAY))
        timed("send_due_reminders after catch-up", lambda: services.send_due_reminders(today=TODAY))
        timed("renew_due_memberships, next day", lambda: services.renew_due_memberships(today=TODAY + timedelta(days=1)))
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
