"""The public indicators page: numbers from the record, charts with their tables."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from members import indicators, services
from members.models import Country
from tests.factories import StaffFactory, UserFactory, member
from tests.members.test_directory import publish_pledge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 11, 28), tick=False):
        yield date(2026, 11, 28)


@pytest.fixture
def record():
    with time_machine.travel(date(2019, 6, 1), tick=False):
        th = member("TH", since=date(2019, 5, 1))
        services.give_notice(membership=th, received_on=date(2019, 6, 1))
    member("BR", since=date(2021, 3, 10))
    kz = member("KZ", since=date(2023, 10, 25)).country
    member("GH", since=date(2023, 2, 1))
    services.renew_due_memberships(today=date(2026, 11, 28))  # TH ends 2024-05-01; BR renews 2026-03-10
    publish_pledge(kz)
    return kz


def test_members_over_time(record, today):
    rows = {r["year"]: r for r in indicators.members_over_time(today=today)}
    assert rows[2019] == {"year": 2019, "accessions": 1, "renewals": 0, "terminations": 0, "members": 1}
    assert rows[2023]["accessions"] == 2 and rows[2023]["members"] == 4
    assert rows[2024] == {"year": 2024, "accessions": 0, "renewals": 0, "terminations": 1, "members": 3}
    assert rows[2026]["renewals"] == 1 and rows[2026]["members"] == 3


def test_members_by_region_and_pledge_coverage(record, today):
    regions = {r["code"]: r["count"] for r in indicators.members_by_region(today=today)}
    assert regions == {"AFR": 1, "AMR": 1, "SEAR": 0, "EUR": 1, "EMR": 0, "WPR": 0}
    assert indicators.pledge_coverage(today=today) == {"members": 3, "published": 1, "share": 33}


def test_commitments_by_lever_by_status_computed_from_the_numbers(record, today):
    from decimal import Decimal

    from pledges.models import Commitment, Indicator, IndicatorValue, Pledge, ProgressReport

    pledge = Pledge.objects.get()
    c1 = Commitment.objects.create(pledge=pledge, description="a", levers=["models_of_care", "workforce"])
    Commitment.objects.create(pledge=pledge, description="b", levers=["models_of_care"])
    indicator = Indicator.objects.create(commitment=c1, name="Doctors per 10,000", unit="per_10000",
                                         baseline_value=Decimal(20), baseline_year=2020,
                                         target_value=Decimal(30), target_year=2030)
    # 2025 expects 25: 24 is off track; the 2026 value (27, expected 26) is on track and, being later, counts.
    for year, value in [(2025, 24), (2026, 27)]:
        report = ProgressReport.objects.create(pledge=pledge, year=year, due_on=date(year, 6, 1), status="published",
                                               submitted_at=timezone.now(), published_at=timezone.now())
        IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(value), year=year)
    # A value in a draft report is not public and does not count.
    draft = ProgressReport.objects.create(pledge=pledge, year=2027, due_on=date(2027, 6, 1))
    IndicatorValue.objects.create(report=draft, indicator=indicator, value=Decimal(10), year=2027)
    # Written directly here, so the statuses are refreshed as publishing a report does.
    from pledges import services as pledge_services

    pledge_services.refresh_statuses(pledge)
    rows = {r["code"]: r for r in indicators.commitments_by_lever()}
    assert rows["models_of_care"]["count"] == 2
    assert rows["models_of_care"]["statuses"] == {"on_track": 1, "no_data": 1}
    assert rows["workforce"]["statuses"] == {"on_track": 1}
    coverage = indicators.reporting_coverage(today=today)
    assert coverage["pledges"] == 1 and coverage["up_to_date"] + coverage["statuses"]["overdue"] + \
        coverage["statuses"]["inactive"] == 1


def test_events_held_and_countries_taking_part(record, today):
    from events import services as event_services

    with time_machine.travel(date(2026, 5, 1), tick=False):
        start = timezone.now() + timedelta(days=1)
        event = event_services.create_event(title="Workshop", kind="webinar", starts_at=start,
                                            ends_at=start + timedelta(hours=1), timezone="UTC",
                                            online_url="https://example.org/w")
        secretariat = StaffFactory()
        event_services.register(event=event, name="A", email="a@kz.example.org", country=record, by=secretariat)
        event_services.register(event=event, name="B", email="b@kz.example.org", country=record, by=secretariat)
        # Naming a country on the public form makes nobody its delegate.
        event_services.register(event=event, name="C", email="c@example.org", country=Country.objects.get(iso2="FR"))
    assert indicators.events_by_year(today=today) == [{"year": 2026, "events": 1, "countries": 1}]


def test_indicators_page_has_charts_with_tables(client, record):
    response = client.get("/en/indicators/")
    page = response.content.decode()
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert page.count('<svg class="bar-chart" role="img"') == 5
    assert "<caption>Accessions, renewals and terminations by year</caption>" in page
    assert "33% — 1 of 3 member countries" in page
    assert client.get("/ru/indicators/").status_code == 200


def test_indicators_page_for_signed_in_people_is_private(client, record):
    client.force_login(UserFactory())
    assert "private" in client.get("/en/indicators/")["Cache-Control"]
