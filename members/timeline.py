"""The Core Group rotation as a picture: one row per country, one bar per seat (SVG geometry)."""

from dataclasses import dataclass
from datetime import date

LABEL_WIDTH = 170
CHART_WIDTH = 640
ROW_HEIGHT = 26
TOP = 30


@dataclass
class Bar:
    x: float
    width: float
    permanent: bool
    label: str


def build(seats, *, today: date) -> dict:
    """Rows and year ticks for the SVG in templates/admin/members/coregroupseat/rotation.html."""
    seats = list(seats)
    first_year = min([s.start.year for s in seats] + [today.year - 1])
    last_year = max([(s.end or today).year for s in seats] + [today.year + 3]) + 1
    span = (date(last_year, 1, 1) - date(first_year, 1, 1)).days

    def x(day: date) -> float:
        return LABEL_WIDTH + CHART_WIDTH * (day - date(first_year, 1, 1)).days / span

    from members.names import sort_key

    by_name = sort_key()
    rows = {}
    for seat in sorted(seats, key=lambda s: (by_name(str(s.country)), s.start)):
        end = seat.end or date(last_year, 1, 1)
        rows.setdefault(str(seat.country), []).append(
            Bar(x=x(seat.start), width=max(2.0, x(end) - x(seat.start)), permanent=seat.end is None, label=str(seat))
        )
    height = TOP + ROW_HEIGHT * max(1, len(rows)) + 10
    return {
        "width": LABEL_WIDTH + CHART_WIDTH + 30,
        "height": height,
        "rows": [{"country": name, "y": TOP + i * ROW_HEIGHT, "bars": bars} for i, (name, bars) in enumerate(rows.items())],
        "years": [{"year": y, "x": x(date(y, 1, 1))} for y in range(first_year, last_year + 1)],
        "today_x": x(today),
        "label_width": LABEL_WIDTH,
        "chart_width": CHART_WIDTH + 30,
        "bottom": height - 5,
    }
