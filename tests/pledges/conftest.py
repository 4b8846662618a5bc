from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pledges import services
from tests.factories import StaffFactory, UserFactory, member


def since() -> date:
    # A year into the first term, whatever day the suite runs.
    return timezone.localdate() - timedelta(days=365)


def make_focal_point(country, **user_fields):
    user = UserFactory(**user_fields)
    services.add_focal_point(country=country, user=user)
    return user


def indicator(name, baseline, target, *, unit="percent", baseline_year=2023, target_year=2030, **extra):
    return {"name": name, "unit": unit, "baseline_value": Decimal(str(baseline)), "baseline_year": baseline_year,
            "target_value": Decimal(str(target)), "target_year": target_year, **extra}


COMMITMENTS = [
    {
        "description": "Register every resident with a primary health care team.",
        "levers": ["political_commitment", "models_of_care"],
        "components": ["integrated_services"],
        "responsible_institution": "Ministry of Health",
        "budget": "USD 12 million, state budget",
        "indicators": [indicator("Share of residents registered", 60, 95)],
    },
    {
        "description": "Raise the share of health spending going to PHC.",
        "levers": ["funding"],
        "components": ["multisectoral", "empowered_people"],
        "responsible_institution": "Ministry of Finance",
        "no_budget_needed": True,
        "indicators": [indicator("PHC share of government health expenditure", 30, 45)],
    },
]


def fill(pledge, by, *, title="Health for all families", commitments=None):
    target_date = timezone.localdate() + timedelta(days=3 * 365)
    items = [dict(c, target_date=target_date) for c in (COMMITMENTS if commitments is None else commitments)]
    return services.save_pledge_draft(pledge=pledge, by=by, title=title, vision="Care close to home.", commitments=items)


def entries_for(report, *, value=70, **overrides):
    """What a focal point types for each commitment of ``report``: every indicator given ``value`` this year."""
    rows = {}
    for e in report.entries.select_related("commitment").prefetch_related("commitment__indicators"):
        data = {"completion": "substantial", "narrative": "Registration campaign under way.",
                "values": {i.pk: {"value": None if value is None else Decimal(str(value)), "year": report.year}
                           for i in e.commitment.indicators.all()}}
        data.update(overrides)
        rows[e.commitment_id] = data
    return rows


def publish(country, focal_point, staff_user):
    pledge = services.start_pledge(country=country, by=focal_point)
    fill(pledge, focal_point)
    services.submit_pledge(pledge=pledge, by=focal_point)
    services.accept_pledge(pledge=pledge, by=staff_user)
    return services.publish_pledge(pledge=pledge, by=staff_user)


def publish_with_report(country, focal_point, staff_user, *, value=75):
    """A published pledge with its first progress report published too; returns (pledge, report)."""
    pledge = publish(country, focal_point, staff_user)
    report = services.start_progress_report(pledge=pledge, by=focal_point)
    services.save_progress_draft(report=report, by=focal_point, entries=entries_for(report, value=value))
    services.submit_progress_report(report=report, by=focal_point)
    services.publish_progress_report(report=report, by=staff_user)
    return pledge, report


@pytest.fixture
def kz(db):
    return member("KZ", since=since()).country


@pytest.fixture
def fr(db):
    return member("FR", since=since()).country


@pytest.fixture
def kz_fp(kz):
    return make_focal_point(kz, email="fp@kz.example.org", language="ru")


@pytest.fixture
def fr_fp(fr):
    return make_focal_point(fr, email="fp@fr.example.org", language="fr")


@pytest.fixture
def secretariat(db):
    return StaffFactory(email="staff@example.org")
