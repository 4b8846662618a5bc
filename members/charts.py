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
