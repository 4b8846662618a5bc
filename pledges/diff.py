"""A readable line diff between two pledge snapshots (see services.snapshot)."""

from __future__ import annotations

from decimal import Decimal
from difflib import SequenceMatcher
from types import SimpleNamespace

from django.utils.translation import gettext as _

from pledges import display
from pledges.catalogue import Unit
from pledges.models import Component, Lever


def _labels(values, choices) -> str:
    known = dict(choices.choices)
    return "; ".join(str(known.get(v, v)) for v in values)


def _figure(item: dict, field: str) -> str:
    raw = item.get(field)
    if raw in (None, ""):
        return "—"
    unit = SimpleNamespace(unit=item.get("unit"), currency=item.get("currency", ""))
    return display.with_unit(Decimal(raw), unit)


def snapshot_lines(snapshot: dict | None) -> list[str]:
    """The snapshot as lines of text, one field (or paragraph) per line, in a fixed order."""
    if not snapshot:
        return []
    lines = [f"{_('Title')}: {snapshot.get('title', '')}", f"{_('Vision statement')}:"]
    lines += [f"  {p}" for p in (snapshot.get("vision") or "").splitlines() if p.strip()]
    for n, c in enumerate(snapshot.get("commitments", []), start=1):
        lines.append(_("Commitment %(n)s") % {"n": n})
        lines += [f"  {_('Description')}: {p}" for p in (c.get("description") or "").splitlines() if p.strip()]
        lines.append(f"  {_('Levers')}: {_labels(c.get('levers', []), Lever)}")
        lines.append(f"  {_('PHC components')}: {_labels(c.get('components', []), Component)}")
        lines.append(f"  {_('Target date')}: {c.get('target_date', '')}")
        if "indicators" not in c:
            # Versions submitted before indicators were numbers.
            lines.append(f"  {_('Indicator')}: {c.get('indicator', '')}")
            lines.append(f"  {_('Baseline')}: {c.get('baseline', '')}")
            lines.append(f"  {_('Target')}: {c.get('target', '')}")
            continue
        lines.append(f"  {_('Responsible institution')}: {c.get('responsible_institution', '')}")
        budget = _("No budget needed") if c.get("no_budget_needed") else c.get("budget", "")
        lines.append(f"  {_('Budget')}: {budget}")
        for i in c.get("indicators", []):
            unit = str(dict(Unit.choices).get(i.get("unit"), i.get("unit", "")))
            if i.get("currency"):
                unit = f"{unit} {i['currency']}"
            lines.append(f"  {_('Indicator')}: {i.get('name', '')} ({unit}){' · ' + i['standard_code'] if i.get('standard_code') else ''}")
            lines.append(f"    {_('Baseline')}: {_figure(i, 'baseline_value')} ({i.get('baseline_year') or '…'})")
            lines.append(f"    {_('Target')}: {_figure(i, 'target_value')} ({i.get('target_year') or '…'})")
            if i.get("source"):
                lines.append(f"    {_('Data source')}: {i['source']}")
    return lines


def diff_snapshots(older: dict | None, newer: dict | None) -> list[tuple[str, str]]:
    """(kind, line) rows, kind being 'same', 'removed' or 'added'."""
    a, b = snapshot_lines(older), snapshot_lines(newer)
    rows: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [("same", line) for line in a[i1:i2]]
        else:
            rows += [("removed", line) for line in a[i1:i2]]
            rows += [("added", line) for line in b[j1:j2]]
    return rows
