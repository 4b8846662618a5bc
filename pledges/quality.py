"""The checks a pledge is held to before acceptance: a checklist per commitment and a SMART score.

Computed from the pledge as it stands, so the review page, the recorded gaps and the tests agree.
A pledge may be accepted with gaps; ``pledges.services.pledges.accept_pledge`` records them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

CHECKS = {
    "lever": _("has a lever of the PHC Operational Framework"),
    "indicator": _("has an indicator with a baseline and a target"),
    "target_in_term": _("has a target date within the membership term"),
    "institution": _("names a responsible institution"),
    "budget": _("gives a budget, or says none is needed"),
}

SMART = {
    "specific": _("Specific"),
    "measurable": _("Measurable"),
    "achievable": _("Achievable"),
    "relevant": _("Relevant"),
    "time_bound": _("Time-bound"),
}

SPECIFIC_MIN_WORDS = 8


@dataclass
class CommitmentQuality:
    number: int
    commitment: object
    checks: dict[str, bool]
    smart: dict[str, bool] = field(default_factory=dict)

    @property
    def score(self) -> int:
        return sum(self.smart.values())

    @property
    def failed(self) -> list[str]:
        return [key for key, ok in self.checks.items() if not ok]


def _measured(indicator) -> bool:
    return indicator.baseline_value is not None and indicator.target_value is not None


def assess_commitment(commitment, *, number: int, term) -> CommitmentQuality:
    indicators = list(commitment.indicators.all())
    in_term = bool(commitment.target_date and term is not None and term.start < commitment.target_date <= term.end)
    checks = {
        "lever": bool(commitment.levers),
        "indicator": any(_measured(i) for i in indicators),
        "target_in_term": in_term,
        "institution": bool(commitment.responsible_institution.strip()),
        "budget": bool(commitment.budget.strip()) or commitment.no_budget_needed,
    }
    smart = {
        "specific": len(commitment.description.split()) >= SPECIFIC_MIN_WORDS and checks["lever"],
        "measurable": checks["indicator"],
        "achievable": checks["institution"] and checks["budget"],
        "relevant": checks["lever"] and bool(commitment.components),
        "time_bound": in_term and any(i.target_year for i in indicators if _measured(i)),
    }
    return CommitmentQuality(number=number, commitment=commitment, checks=checks, smart=smart)


def assess(pledge) -> list[CommitmentQuality]:
    """One assessment per commitment, in the pledge's order (indicators prefetched when possible)."""
    commitments = pledge.commitments.all()
    return [assess_commitment(c, number=n, term=pledge.term) for n, c in enumerate(commitments, start=1)]


def checklist(assessments: list[CommitmentQuality]) -> list[dict]:
    """Per check: its label and the numbers of the commitments that fail it."""
    return [
        {"key": key, "label": label, "failing": [a.number for a in assessments if not a.checks[key]]}
        for key, label in CHECKS.items()
    ]


def gaps(assessments: list[CommitmentQuality]) -> list[dict]:
    """What is recorded when a pledge is accepted with gaps: ``[{"commitment": 2, "check": "budget"}, ...]``."""
    return [{"commitment": a.number, "check": key} for a in assessments for key in a.failed]


GAP_MESSAGES = {
    "lever": _("Commitment %(n)s has no lever."),
    "indicator": _("Commitment %(n)s has no indicator with both a baseline and a target."),
    "target_in_term": _("Commitment %(n)s has no target date within the term."),
    "institution": _("Commitment %(n)s names no responsible institution."),
    "budget": _("Commitment %(n)s gives no budget."),
}


def describe_gap(gap: dict) -> str:
    message = GAP_MESSAGES.get(gap.get("check"))
    return str(message) % {"n": gap.get("commitment")} if message else str(gap)
