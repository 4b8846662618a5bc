"""Standard indicators a commitment may be measured by: the SDG 3.8 indicators and tracers of the UHC index.

Codes are those of the WHO Global Health Observatory (GHO), so a value can be checked against
https://www.who.int/data/gho/data/indicators and, later, fetched from its OData API.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    PERCENT = "percent", _("percent")
    PER_10000 = "per_10000", _("per 10,000 population")
    COUNT = "count", _("count")
    CURRENCY = "currency", _("currency")
    INDEX = "index", _("index")
    YES_NO = "yes_no", _("yes/no")


class Direction(models.TextChoices):
    UP = "up", _("higher is better")
    DOWN = "down", _("lower is better")


@dataclass(frozen=True)
class StandardIndicator:
    code: str
    name: str
    unit: str
    direction: str
    sdg: str = ""


CATALOGUE: tuple[StandardIndicator, ...] = (
    StandardIndicator("UHC_INDEX_REPORTED", _("UHC service coverage index"), Unit.INDEX, Direction.UP, "3.8.1"),
    StandardIndicator(
        "FINPROTECTION_CATA_TOT_10_POP",
        # xgettext:no-python-format
        _("Population with household spending on health above 10% of total household spending or income"),
        Unit.PERCENT, Direction.DOWN, "3.8.2",
    ),
    StandardIndicator(
        "FINPROTECTION_CATA_TOT_25_POP",
        # xgettext:no-python-format
        _("Population with household spending on health above 25% of total household spending or income"),
        Unit.PERCENT, Direction.DOWN, "3.8.2",
    ),
    StandardIndicator("WHS4_100", _("DTP3 immunization coverage among 1-year-olds"), Unit.PERCENT, Direction.UP),
    StandardIndicator("HWF_0001", _("Medical doctors per 10,000 population"), Unit.PER_10000, Direction.UP),
    StandardIndicator("HWF_0006", _("Nursing and midwifery personnel per 10,000 population"), Unit.PER_10000,
                      Direction.UP),
    StandardIndicator("WHS6_102", _("Hospital beds per 10,000 population"), Unit.PER_10000, Direction.UP),
)

BY_CODE = {indicator.code: indicator for indicator in CATALOGUE}


def choices() -> list[tuple[str, str]]:
    """For forms and filters: the code with its SDG number, if any, and the name."""
    return [(i.code, f"{i.sdg} {i.name}".strip() if not i.sdg else f"SDG {i.sdg}: {i.name}") for i in CATALOGUE]


def get(code: str) -> StandardIndicator | None:
    return BY_CODE.get(code or "")
