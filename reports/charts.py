"""Small SVG bar charts for the PDFs: drawn here, so the reports need no plotting library."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1f5f8b", "#3a8fb7", "#7cb7d6", "#c8463c", "#e8a33d", "#5b8c3a", "#7d5ba6"]
FONT = "Report Sans"


def bar_chart(rows: list[tuple[str, float]], *, width: int = 460, bar: int = 16, gap: int = 6,
              label_width: int = 200, color: str = PALETTE[0], suffix: str = "") -> SafeString:
    """Horizontal bars, one per (label, value), with the value written after each bar."""
    top = max((v for _, v in rows), default=0) or 1
    plot = width - label_width - 50
    height = len(rows) * (bar + gap) + gap
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
              f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="9">')]
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar + gap)
        w = max(plot * value / top, 0.5 if value else 0)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar * 0.72:.1f}" text-anchor="end" fill="#222">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar}" fill="{color}"/>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + bar * 0.72:.1f}" fill="#222">'
            f'{escape(number_format(value, decimal_pos=0 if float(value).is_integer() else 1))}{escape(suffix)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def stacked_bar(parts_: list[tuple[str, float]], *, width: int = 460, height: int = 18) -> SafeString:
    """One bar split into parts, with a legend underneath."""
    total = sum(v for _, v in parts_) or 1
    legend_rows = (len(parts_) + 1) // 2
    full = height + 8 + legend_rows * 14
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{full}" '
            f'viewBox="0 0 {width} {full}" font-family="{FONT}" font-size="9">')]
    x = 0.0
    for i, (label, value) in enumerate(parts_):
        w = width * value / total
        out.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{PALETTE[i % len(PALETTE)]}"/>')
        x += w
    for i, (label, value) in enumerate(parts_):
        lx, ly = (i % 2) * (width / 2), height + 8 + (i // 2) * 14
        out.append(
            f'<rect x="{lx:.1f}" y="{ly}" width="9" height="9" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{lx + 13:.1f}" y="{ly + 8}" fill="#222">{escape(label)}: {escape(number_format(value))}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))
