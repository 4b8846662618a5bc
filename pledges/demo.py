"""Demo pledge for `make run`: one published pledge, if the members demo made a membership."""

from django.db import transaction
from django.utils import timezone

from members.models import Membership

DEMO_TITLE = "Primary health care for every family"


@transaction.atomic
def load() -> None:
    from pledges.models import Commitment, Component, Lever, Pledge, PledgeVersion
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
    Commitment.objects.bulk_create([
        Commitment(
            pledge=pledge, position=1,
            description="Register every resident with a named primary health care team.",
            levers=[Lever.POLITICAL_COMMITMENT, Lever.MODELS_OF_CARE, Lever.DIGITAL],
            components=[Component.INTEGRATED_SERVICES], indicator="Share of residents registered with a PHC team",
            baseline="62%", target="95%", target_date=term.end,
        ),
        Commitment(
            pledge=pledge, position=2,
            description="Raise the share of government health spending that goes to primary health care.",
            levers=[Lever.FUNDING, Lever.PURCHASING],
            components=[Component.MULTISECTORAL], indicator="PHC share of government health expenditure",
            baseline="31%", target="45%", target_date=term.end,
        ),
    ])
    PledgeVersion.objects.create(
        pledge=pledge, number=1, snapshot=snapshot(pledge), submitted_at=now,
        outcome=PledgeVersion.Outcome.ACCEPTED, reviewed_at=now,
    )
