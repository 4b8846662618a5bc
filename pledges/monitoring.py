"""Where each indicator and commitment stands, computed from prefetched rows (no queries of its own).

The selectors fetch; this module turns an indicator and its published values into a ``Track``:
the series, the latest value, the % of the way, the expected value and the status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from pledges import charts, progress


@dataclass
class Track:
    indicator: object
    series: list[tuple[int, Decimal]] = field(default_factory=list)
    latest_year: int | None = None
    latest_value: Decimal | None = None
    percent: Decimal | None = None
    expected: Decimal | None = None
    status: str = progress.NO_DATA

    @property
    def bar(self) -> Decimal:
        return progress.bar_percent(self.percent)

    @property
    def chart(self) -> dict | None:
        return charts.indicator_chart(self)

    @property
    def shown(self) -> tuple:
        """Everything templates/pledges/_indicator.html shows of the track, as plain values: the key of
        its drawn fragment, so that pages showing the same track draw it once."""
        i = self.indicator
        return (i.pk, i.name, i.standard_code, i.unit, i.currency, i.baseline_value, i.baseline_year,
                i.target_value, i.target_year, i.source, self.series, self.latest_year, self.latest_value,
                self.percent, self.status)


def series_of(values) -> list[tuple[int, Decimal]]:
    """(year, value) pairs, one per year; where two reports give the same year, the later report wins."""
    by_year: dict[int, tuple[int, Decimal]] = {}
    for v in values:
        order = v.report.year
        current = by_year.get(v.year)
        if current is None or order >= current[0]:
            by_year[v.year] = (order, v.value)
    return [(year, value) for year, (_, value) in sorted(by_year.items())]


def track(indicator, values=None) -> Track:
    """``values``: the indicator's published values; by default the prefetched ``published_values``."""
    if values is None:
        values = getattr(indicator, "published_values", None)
        if values is None:
            values = list(indicator.values.filter(report__status="published").select_related("report"))
    series = series_of(values)
    result = Track(indicator=indicator, series=series)
    if not series:
        return result
    result.latest_year, result.latest_value = series[-1]
    result.percent = progress.percent_of_way(
        baseline=indicator.baseline_value, target=indicator.target_value, current=result.latest_value,
    )
    result.expected = progress.expected_value(
        baseline=indicator.baseline_value, baseline_year=indicator.baseline_year, target=indicator.target_value,
        target_year=indicator.target_year, year=result.latest_year,
    )
    result.status = progress.status(
        baseline=indicator.baseline_value, baseline_year=indicator.baseline_year, target=indicator.target_value,
        target_year=indicator.target_year, current=result.latest_value, year=result.latest_year,
    )
    return result


def commitment_tracks(commitment) -> list[Track]:
    return [track(i) for i in commitment.indicators.all()]


def commitment_status(tracks: list[Track]) -> str:
    return progress.combined_status(t.status for t in tracks)
