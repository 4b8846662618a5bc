"""Indicator figures as a reader sees them: numbers in the reader's format, with their unit."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from pledges.catalogue import Unit


def plain(value) -> Decimal | None:
    """The Decimal without trailing zeros or an exponent: 40.5000 → 40.5, 100.0000 → 100."""
    if value is None:
        return None
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def number(value: Decimal | None) -> str:
    """Without trailing zeros, in the active language's format (3,2 in Russian and French)."""
    if value is None:
        return "—"
    value = plain(value)
    places = max(0, -value.as_tuple().exponent)
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=abs(value) >= 10000)


def with_unit(value: Decimal | None, indicator) -> str:
    if value is None:
        return "—"
    unit = indicator.unit
    if unit == Unit.YES_NO:
        return _("yes") if value else _("no")
    shown = number(value)
    if unit == Unit.PERCENT:
        return _("%(value)s%%") % {"value": shown}
    if unit == Unit.PER_10000:
        return _("%(value)s per 10,000") % {"value": shown}
    if unit == Unit.CURRENCY:
        return f"{shown} {indicator.currency}"
    return shown


def describe_indicator(indicator) -> str:
    """'Name: 40% (2023) → 20% (2030)', for the admin and plain-text places."""
    def point(value, year):
        text = with_unit(value, indicator)
        return f"{text} ({year})" if year and value is not None else text

    return "%s: %s → %s" % (indicator.name, point(indicator.baseline_value, indicator.baseline_year),
                            point(indicator.target_value, indicator.target_year))
