"""Representativeness: the membership beside the WHO Member States, as the public and the Secretariat see it.

The figures come from ``members.selectors.representativeness``; this module adds what the pages
show: labels in the reader's language, shares, charts and, for the Secretariat, the countries not
yet members (the outreach list) by name.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from members import charts, selectors
from members.filters import SIZE_CHOICES
from members.models import Country, IncomeGroup, WhoRegion

DIMENSIONS = [
    # (dimension, heading): the considerations of the terms of reference that the reference data covers.
    ("who_region", _("WHO region")),
    ("income_group", _("World Bank income group")),
    ("size_class", _("Population")),
    ("fragile", _("Fragile and conflict-affected setting")),
]
SERIES = [("members", _("Share of member countries")), ("who", _("Share of WHO Member States"))]
CSV_FIELDS = ["name", "iso3", "who_region", "income_group", "size_class", "fragile"]


def group_label(dimension: str, group) -> str:
    labels = {
        "who_region": dict(WhoRegion.choices),
        "income_group": {**dict(IncomeGroup.choices), None: _("Not classified")},
        "size_class": dict(SIZE_CHOICES),
        "fragile": {True: _("Fragile or conflict-affected"), False: _("Not fragile or conflict-affected")},
    }
    return labels[dimension][group]


def group_param(group) -> str:
    """The group's code in a query string: the export's code, ``true``/``false``, ``none`` for no code."""
    if group is None:
        return "none"
    if isinstance(group, bool):
        return "true" if group else "false"
    return group


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def sections(*, on: date, outreach: bool = False) -> dict:
    """Per dimension: its groups with counts, shares (in per cent) and a chart; with ``outreach``, each
    group's non-member countries too (Country objects, by name in the active language)."""
    from members.names import sorted_by_name

    groups = selectors.representativeness(on=on)
    # Each country is in exactly one group per dimension: any dimension's sums give the totals.
    first = [g for g in groups if g["dimension"] == DIMENSIONS[0][0]]
    total_members = sum(g["members"] for g in first)
    total_states = sum(g["who_member_states"] for g in first)
    countries = Country.objects.in_bulk(field_name="iso3") if outreach else {}
    out = []
    for dimension, heading in DIMENSIONS:
        rows = []
        for g in (g for g in groups if g["dimension"] == dimension):
            rows.append({
                **g,
                "label": group_label(dimension, g["group"]),
                "param": group_param(g["group"]),
                "member_share": _share(g["members"], total_members),
                "who_share": _share(g["who_member_states"], total_states),
                "coverage": _share(g["members"], g["who_member_states"]),
                "outreach": sorted_by_name(countries[iso3] for iso3 in g["not_members"]) if outreach else [],
            })
        chart = charts.paired_bar_chart(
            [(row["label"], (row["member_share"], row["who_share"])) for row in rows], series=SERIES,
            label=_("%(dimension)s: share of member countries and share of WHO Member States")
            % {"dimension": heading})
        out.append({"dimension": dimension, "heading": heading, "rows": rows, "chart": chart})
    return {"on": on, "members": total_members, "who_member_states": total_states, "sections": out,
            "series": SERIES}


def outreach_rows(*, on: date, dimension: str | None = None, param: str | None = None) -> list[dict] | None:
    """The countries not members on ``on`` (of one group, if named), by name in the active language, in
    the columns of ``CSV_FIELDS`` (the codes of the members export); None for an unknown group."""
    from members.names import sorted_by_name

    groups = selectors.representativeness(on=on)
    if dimension or param:
        chosen = [g for g in groups if g["dimension"] == dimension and group_param(g["group"]) == param]
        if not chosen:
            return None
        iso3s = set(chosen[0]["not_members"])
    else:
        iso3s = {iso3 for g in groups if g["dimension"] == DIMENSIONS[0][0] for iso3 in g["not_members"]}
    codes = {}
    for g in groups:
        for iso3 in g["not_members"]:
            codes.setdefault(iso3, {})[g["dimension"]] = g["group"]
    countries = sorted_by_name(Country.objects.filter(iso3__in=iso3s))
    return [{"name": c.local_name, "iso3": c.iso3, **codes[c.iso3]} for c in countries]
