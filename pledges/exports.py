"""Open data of published commitments, schema ``phc-coalition-commitments/1`` (README, "Open data").

One record per indicator of a published commitment; nothing unpublished, no personal data.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

SCHEMA = "phc-coalition-commitments/1"

CSV_FIELDS = [
    "country_iso3", "pledge_id", "commitment_id", "indicator_id", "levers", "components", "indicator_name",
    "standard_code", "unit", "currency", "baseline_value", "baseline_year", "target_value", "target_year",
    "latest_value", "latest_year", "percent_of_way", "status", "value_year", "value",
]


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def records(rows) -> list[dict]:
    """``rows``: selectors.tracked output. Numbers as strings, so no precision is lost to floating point."""
    out = []
    for row in rows:
        c = row["commitment"]
        for t in row["tracks"]:
            i = t.indicator
            out.append({
                "country_iso3": c.pledge.country.iso3,
                "pledge_id": c.pledge_id,
                "commitment_id": c.pk,
                "indicator_id": i.pk,
                "levers": list(c.levers),
                "components": list(c.components),
                "indicator_name": i.name,
                "standard_code": i.standard_code or None,
                "unit": i.unit,
                "currency": i.currency or None,
                "baseline_value": _num(i.baseline_value),
                "baseline_year": i.baseline_year,
                "target_value": _num(i.target_value),
                "target_year": i.target_year,
                "latest_value": _num(t.latest_value),
                "latest_year": t.latest_year,
                "percent_of_way": _num(t.percent),
                "status": t.status,
                "commitment_status": row["status"],
                "series": [{"year": y, "value": _num(v)} for y, v in t.series],
            })
    return out


def json_payload(rows, *, today: date) -> dict:
    items = records(rows)
    return {"schema": SCHEMA, "generated_on": today.isoformat(), "count": len(items), "indicators": items}


def csv_rows(rows):
    """Long format: one line per reported value (and one with empty value columns where none is reported)."""
    for record in records(rows):
        base = {k: ("" if record.get(k) is None else record[k]) for k in CSV_FIELDS if k not in ("value_year", "value")}
        base["levers"] = ";".join(record["levers"])
        base["components"] = ";".join(record["components"])
        if not record["series"]:
            yield {**base, "value_year": "", "value": ""}
        for point in record["series"]:
            yield {**base, "value_year": point["year"], "value": point["value"]}
