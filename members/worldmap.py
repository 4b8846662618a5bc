"""A world map drawn server-side as inline SVG, from a map shipped with the project.

No tile service and no JavaScript: the shapes are in ``members/data/worldmap/world.json`` (derived
from the npm package @svg-maps/world, CC BY 4.0; see SOURCE.md there), keyed by ISO 3166-1 alpha-2.

    from members import worldmap
    svg = worldmap.render(
        fills={"KZ": "region-EUR", "BR": "region-AMR"},
        titles={"KZ": "Kazakhstan: member since 2024"},
        label=_("Map of the Coalition's members by WHO region"),
    )
    legend = worldmap.legend([("region-EUR", _("European Region")), ...])

The SVG is one picture (role="img") named by ``label``: screen readers get the label only, so
the page must also give the same facts as text (the member list or a table next to the map). The
per-country <title>s are tooltips for pointer users.

The shapes themselves are not in the page: they are one static file (``SPRITE``, fingerprinted and
cached for a year, compressed by whitenoise) that the page's SVG references with ``<use>``: the whole
world once, in the neutral colour, then each filled country by its id. The page carries a few bytes per
filled country instead of the 250 KB of every outline. ``build_worldmap.py --sprite`` (in the data
folder) writes the file from the data; a test checks that it is current.

Countries too small to see at this scale (Monaco, Nauru, Tuvalu, ...) get a small circle marker at
the centre of their largest shape, in the same class, when they are in ``fills``.
"""

import functools
import json
import re
from pathlib import Path

from django.templatetags.static import static
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

DATA_FILE = Path(__file__).resolve().parent / "data" / "worldmap" / "world.json"
SPRITE = "members/worldmap.svg"
SPRITE_FILE = Path(__file__).resolve().parent.parent / "static" / SPRITE

NEUTRAL_CLASS = "wm-none"
# Countries whose shapes add up to less than this (square map units; the map is 1010 x 666) get a
# marker: below about 3 they are a pixel or two wide on a 1000 px map.
MARKER_AREA = 3.0
MARKER_RADIUS = 2.4

_CLASS_TOKEN = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_-]*$")


@functools.cache
def _load():
    """The map, parsed once per process: {'viewBox': [...], 'countries': {ISO2: {...}}}."""
    with DATA_FILE.open(encoding="utf-8") as f:
        data = json.load(f)
    countries = {}
    for code, c in data["countries"].items():
        countries[code] = {
            "name": c["name"],
            # Escaped once here; the file only holds numbers, M, l and z anyway.
            "d": escape(c["d"]),
            "area": c["area"],
            "centroid": tuple(c["centroid"]),
        }
    return {"view_box": " ".join(f"{v:g}" for v in data["viewBox"]), "countries": countries}


def codes() -> frozenset[str]:
    """The ISO alpha-2 codes the map can draw (upper case)."""
    return frozenset(_load()["countries"])


def missing(iso2_codes) -> list[str]:
    """The codes among ``iso2_codes`` that the map has no shape for, sorted."""
    available = codes()
    return sorted({c.upper() for c in iso2_codes} - available)


def map_name(iso2: str) -> str | None:
    """The English name the map source uses (for tooltips when the caller gives none)."""
    country = _load()["countries"].get(iso2.upper())
    return country["name"] if country else None


def _css_class(value: str) -> str:
    tokens = value.split()
    if not tokens or not all(_CLASS_TOKEN.match(t) for t in tokens):
        raise ValueError(f"not a CSS class name: {value!r}")
    return " ".join(tokens)


def render(
    *,
    fills: dict[str, str],
    titles: dict[str, str] | None = None,
    label: str,
    css_class: str = "",
    markers: bool = True,
) -> SafeString:
    """An accessible inline SVG world map.

    fills: ISO alpha-2 code (any case) -> CSS class(es), e.g. "region-EUR" or "status-member".
      Countries not in it are drawn by the neutral base (``wm-none``) only; codes the map lacks are
      ignored (see ``missing()``).
    titles: ISO alpha-2 code -> tooltip text; defaults to the map's English name.
    label: the accessible name of the whole picture.
    css_class: extra class(es) on the <svg> element.
    markers: draw circles on filled countries too small to see.
    """
    data = _load()
    fills = {k.upper(): _css_class(v) for k, v in fills.items()}
    titles = {k.upper(): str(v) for k, v in (titles or {}).items()}
    svg_class = "world-map" + (f" {_css_class(css_class)}" if css_class.strip() else "")
    sprite = escape(static(SPRITE))

    shapes, circles = [], []
    for code, country in data["countries"].items():
        fill = fills.get(code)
        if fill is None:
            continue
        title = escape(titles.get(code, country["name"]))
        shapes.append(
            f'<use href="{sprite}#wm-{code}" class="wm-country {fill}" data-iso2="{code}"><title>{title}</title></use>'
        )
        if markers and country["area"] < MARKER_AREA:
            cx, cy = country["centroid"]
            circles.append(
                f'<circle class="wm-marker {fill}" data-iso2="{code}" cx="{cx:g}" cy="{cy:g}" r="{MARKER_RADIUS:g}">'
                f"<title>{title}</title></circle>"
            )
    label = escape(label)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{data["view_box"]}" class="{svg_class}" '
        f'role="img" aria-label="{label}"><title>{label}</title>'
        f'<use href="{sprite}#wm-all" class="wm-base {NEUTRAL_CLASS}"/>'
        f'<g class="wm-countries">{"".join(shapes)}</g>'
        + (f'<g class="wm-markers">{"".join(circles)}</g>' if circles else "")
        + "</svg>"
    )


def legend(items, *, label: str = "") -> SafeString:
    """A key for the map: ``items`` is an iterable of (CSS class, text).

    Returns ``<ul class="wm-legend">`` with a colour swatch (hidden from screen readers) and the
    text for each item; ``label`` becomes its aria-label.
    """
    rows = format_html_join(
        "",
        '<li><span class="wm-swatch {}" aria-hidden="true"></span>{}</li>',
        ((_css_class(cls), text) for cls, text in items),
    )
    if label:
        return format_html('<ul class="wm-legend" aria-label="{}">{}</ul>', label, rows)
    return format_html('<ul class="wm-legend">{}</ul>', rows)
