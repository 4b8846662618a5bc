"""A small SVG line chart of an indicator: its reported series against the straight line to target.

Geometry only; templates/pledges/_indicator_chart.html draws it (no JavaScript), with the values
in a table beside it for screen readers and for anyone who prefers numbers.
"""

from __future__ import annotations

from decimal import Decimal

WIDTH, HEIGHT = 280, 110
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 10, 22


def indicator_chart(track) -> dict | None:
    """None when there is nothing to draw (no baseline, target or value with a year)."""
    indicator = track.indicator
    points = list(track.series)
    plan = []
    if indicator.baseline_value is not None and indicator.baseline_year:
        plan.append((indicator.baseline_year, indicator.baseline_value))
    if indicator.target_value is not None and indicator.target_year:
        plan.append((indicator.target_year, indicator.target_value))
    everything = points + plan
    if len(everything) < 2:
        return None
    years = [y for y, _ in everything]
    values = [v for _, v in everything]
    y0, y1 = min(years), max(years)
    v0, v1 = min(values), max(values)
    if y0 == y1:
        y0, y1 = y0 - 1, y1 + 1
    if v0 == v1:
        v0, v1 = v0 - 1, v1 + 1
    pad = (v1 - v0) * Decimal("0.1")
    v0, v1 = v0 - pad, v1 + pad

    def x(year):
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (year - y0) / (y1 - y0), 1)

    def y(value):
        return round(float(TOP + (HEIGHT - TOP - BOTTOM) * (v1 - value) / (v1 - v0)), 1)

    return {
        "width": WIDTH, "height": HEIGHT,
        "plan": [{"x": x(a), "y": y(b)} for a, b in plan] if len(plan) == 2 else [],
        "target": {"x": x(plan[-1][0]), "y": y(plan[-1][1])} if len(plan) == 2 else None,
        "series": [{"x": x(a), "y": y(b), "year": a, "value": b} for a, b in points],
        "polyline": " ".join(f"{x(a)},{y(b)}" for a, b in points),
        "first_year": y0 if y0 in years else y0 + 1, "last_year": y1 if y1 in years else y1 - 1,
        "axis_y": HEIGHT - BOTTOM, "label_y": HEIGHT - 6, "right": WIDTH - RIGHT,
    }
