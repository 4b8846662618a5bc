"""Demo pledge for `make run`: one published pledge, if the members demo made a membership."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.models import Membership

DEMO_TITLE = "Primary health care for every family"


@transaction.atomic
def load() -> None:
    from pledges.catalogue import Unit
    from pledges.models import (
        Commitment,
        CommitmentProgress,
        Component,
        Indicator,
        IndicatorValue,
        Lever,
        Pledge,
        PledgeVersion,
        ProgressReport,
    )
    from pledges.services import snapshot

    today = timezone.localdate()
    membership = Membership.objects.in_force(on=today).select_related("country").order_by("country__name").first()
    if membership is None:
        return
    term = membership.current_term(on=today)
    if term is None or Pledge.objects.filter(term=term).exists():
        return
    now = timezone.now()
    # Written directly rather than through the services: the demo has no focal point to act.
    pledge = Pledge.objects.create(
        country=membership.country, membership=membership, term=term, title=DEMO_TITLE,
        vision="By the end of the term every family is registered with a primary health care team "
               "that knows it, close to home, without financial hardship.",
        status=Pledge.Status.PUBLISHED, submitted_at=now, accepted_at=now, published_at=now,
    )
    registered = Commitment.objects.create(
        pledge=pledge, position=1,
        description="Register every resident with a named primary health care team.",
        levers=[Lever.POLITICAL_COMMITMENT, Lever.MODELS_OF_CARE, Lever.DIGITAL],
        components=[Component.INTEGRATED_SERVICES], target_date=term.end,
        responsible_institution="Ministry of Health", budget="Within the PHC programme budget",
    )
    spending = Commitment.objects.create(
        pledge=pledge, position=2,
        description="Raise the share of government health spending that goes to primary health care.",
        levers=[Lever.FUNDING, Lever.PURCHASING],
        components=[Component.MULTISECTORAL], target_date=term.end,
        responsible_institution="Ministry of Finance", no_budget_needed=True,
    )
    start_year = term.start.year
    indicators = Indicator.objects.bulk_create([
        Indicator(commitment=registered, position=1, name="Share of residents registered with a PHC team",
                  unit=Unit.PERCENT, baseline_value=Decimal(62), baseline_year=start_year - 1,
                  target_value=Decimal(95), target_year=term.end.year, source="National PHC register"),
        Indicator(commitment=registered, position=2, name="UHC service coverage index", standard_code="UHC_INDEX_REPORTED",
                  unit=Unit.INDEX, baseline_value=Decimal(74), baseline_year=start_year - 1,
                  target_value=Decimal(80), target_year=term.end.year, source="WHO GHO"),
        Indicator(commitment=spending, position=1, name="PHC share of government health expenditure",
                  unit=Unit.PERCENT, baseline_value=Decimal("31.5"), baseline_year=start_year - 1,
                  target_value=Decimal(45), target_year=term.end.year, source="National health accounts"),
    ])
    PledgeVersion.objects.create(
        pledge=pledge, number=1, snapshot=snapshot(pledge), submitted_at=now,
        outcome=PledgeVersion.Outcome.ACCEPTED, reviewed_at=now,
    )
    # A first published report, so the explorer and the country page show values, % of the way and charts.
    report = ProgressReport.objects.create(
        pledge=pledge, year=today.year + 1, due_on=today + timedelta(days=365), status=ProgressReport.Status.PUBLISHED,
        submitted_at=now, published_at=now,
    )
    CommitmentProgress.objects.bulk_create([
        CommitmentProgress(report=report, commitment=registered, completion="substantial",
                           narrative="Two thirds of the regions have registered their residents."),
        CommitmentProgress(report=report, commitment=spending, completion="limited",
                           narrative="The budget law for next year raises the PHC line.",
                           barriers="Hospital budgets are protected by law."),
    ])
    IndicatorValue.objects.bulk_create([
        IndicatorValue(report=report, indicator=indicators[0], value=Decimal(81), year=today.year),
        IndicatorValue(report=report, indicator=indicators[1], value=Decimal("76.5"), year=today.year),
        IndicatorValue(report=report, indicator=indicators[2], value=Decimal(33), year=today.year),
    ])
