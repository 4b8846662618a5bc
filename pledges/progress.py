"""The arithmetic of monitoring: how far an indicator has come, what was expected by now, on track or not.

Pure functions of numbers and years, so that the pages, the exports and the reports agree.
"""

from __future__ import annotations

from decimal import Decimal

ACHIEVED = "achieved"
ON_TRACK = "on_track"
OFF_TRACK = "off_track"
NO_DATA = "no_data"
STATUSES = (ACHIEVED, ON_TRACK, OFF_TRACK, NO_DATA)

HUNDRED = Decimal(100)


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def percent_of_way(*, baseline, target, current) -> Decimal | None:
    """The share of the distance from ``baseline`` to ``target`` that ``current`` has covered, in percent.

    Right whichever way the target lies (40 → 20 at 30 is 50); overshoot and regress are kept as they are
    (120, -25); None when a value is missing or there is no distance to cover.
    """
    baseline, target, current = _dec(baseline), _dec(target), _dec(current)
    if baseline is None or target is None or current is None or baseline == target:
        return None
    return ((current - baseline) * HUNDRED / (target - baseline)).quantize(Decimal("0.1"))


def bar_percent(percent: Decimal | None) -> Decimal:
    """The honest figure clamped to 0–100, for drawing a bar."""
    if percent is None:
        return Decimal(0)
    return max(Decimal(0), min(HUNDRED, percent))


def expected_value(*, baseline, baseline_year, target, target_year, year) -> Decimal | None:
    """Where the straight line from (baseline year, baseline) to (target year, target) stands in ``year``."""
    baseline, target = _dec(baseline), _dec(target)
    if baseline is None or target is None or baseline_year is None or target_year is None or year is None:
        return None
    if target_year <= baseline_year or year >= target_year:
        return target
    if year <= baseline_year:
        return baseline
    return baseline + (target - baseline) * Decimal(year - baseline_year) / Decimal(target_year - baseline_year)


def status(*, baseline, baseline_year, target, target_year, current, year) -> str:
    """'achieved', 'on_track' (at or beyond the expected value), 'off_track' or 'no_data'."""
    baseline, target, current = _dec(baseline), _dec(target), _dec(current)
    if baseline is None or target is None or current is None or year is None:
        return NO_DATA
    rising = target >= baseline

    def at_or_beyond(value, mark):
        return value >= mark if rising else value <= mark

    if at_or_beyond(current, target):
        return ACHIEVED
    expected = expected_value(baseline=baseline, baseline_year=baseline_year, target=target,
                              target_year=target_year, year=year)
    if expected is None:
        return NO_DATA
    return ON_TRACK if at_or_beyond(current, expected) else OFF_TRACK


def combined_status(statuses) -> str:
    """A commitment's status from its indicators': the weakest measured one, 'no_data' if none is measured."""
    measured = [s for s in statuses if s != NO_DATA]
    if not measured:
        return NO_DATA
    for candidate in (OFF_TRACK, ON_TRACK):
        if candidate in measured:
            return candidate
    return ACHIEVED
