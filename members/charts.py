"""Horizontal bar charts as SVG geometry, drawn by templates/members/_bar_chart.html (no JavaScript)."""

LABEL_WIDTH = 240
BAR_AREA = 360
ROW_HEIGHT = 26


def bar_chart(rows, *, label: str, keys=None) -> dict:
    """``rows``: (label, {key: value}) pairs, or (label, value) for single bars; ``keys`` orders the stack."""
    prepared = []
    for row_label, values in rows:
        if not isinstance(values, dict):
            values = {"value": values}
        prepared.append((row_label, values))
    keys = keys or ["value"]
    largest = max([sum(v.get(k, 0) for k in keys) for _, v in prepared] + [1])
    out_rows = []
    for i, (row_label, values) in enumerate(prepared):
        x = LABEL_WIDTH
        segments = []
        for key in keys:
            value = values.get(key, 0)
            width = BAR_AREA * value / largest
            if value:
                segments.append({"key": key, "x": round(x, 1), "width": round(max(width, 1.5), 1), "value": value})
            x += width
        total = sum(values.get(k, 0) for k in keys)
        out_rows.append({"label": row_label, "y": i * ROW_HEIGHT, "segments": segments, "total": total,
                         "total_x": round(x + 6, 1)})
    return {
        "label": label,
        "rows": out_rows,
        "width": LABEL_WIDTH + BAR_AREA + 50,
        "height": max(1, len(out_rows)) * ROW_HEIGHT + 4,
        "label_width": LABEL_WIDTH,
    }


PAIR_WIDTH = 340
PAIR_BAR_AREA = 270
PAIR_BAR = 14
PAIR_ROW = 18 + 2 * PAIR_BAR + 12
LEGEND_HEIGHT = 44


def paired_bar_chart(rows, *, label: str, series) -> dict:
    """Two bars per row on one scale, drawn by templates/members/_paired_bar_chart.html: e.g. a group's
    share of the members against its share of the WHO Member States.

    Each row's label stands above its bars, so that the chart fits a phone (390 px) at its own size,
    labels of 12 px whole, with no scrolling. ``rows``: (label, (first, second)) pairs of percentages;
    ``series``: the two bars' (key, legend label).
    """
    rows = list(rows)
    largest = max([max(values) for _label, values in rows] + [1])
    out_rows = []
    for i, (row_label, values) in enumerate(rows):
        top = LEGEND_HEIGHT + i * PAIR_ROW
        bars = []
        for j, ((key, _series_label), value) in enumerate(zip(series, values, strict=True)):
            width = PAIR_BAR_AREA * value / largest
            y = top + 18 + j * PAIR_BAR
            bars.append({"key": key, "value": value, "y": y, "text_y": y + PAIR_BAR - 3,
                         "width": round(max(width, 1.5) if value else 0, 1), "value_x": round(width + 6, 1)})
        out_rows.append({"label": row_label, "label_y": top + 13, "bars": bars})
    legend = [{"key": key, "label": series_label, "y": 2 + j * 18, "text_y": 13 + j * 18}
              for j, (key, series_label) in enumerate(series)]
    return {
        "label": label,
        "rows": out_rows,
        "legend": legend,
        "width": PAIR_WIDTH,
        "height": LEGEND_HEIGHT + max(1, len(out_rows)) * PAIR_ROW,
    }
