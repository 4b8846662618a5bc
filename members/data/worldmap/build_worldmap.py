"""Rebuild world.json from the world.svg of the npm package @svg-maps/world (see SOURCE.md).

Standard library only. Usage, from a folder where ``npm pack @svg-maps/world@2.0.0`` was unpacked:

    python3 build_worldmap.py package/world.svg > world.json

and, from world.json, the static file of outlines the pages reference (see members/worldmap.py):

    python3 members/data/worldmap/build_worldmap.py --sprite members/data/worldmap/world.json \
        > static/members/worldmap.svg

What it does to the shapes (the "changes" that CC BY 4.0 asks us to indicate):
- every subpath is simplified with Douglas-Peucker at 0.12 map units (the map is 1010 x 666 units,
  so about a tenth of a pixel when drawn 1000 px wide) and coordinates are rounded to 0.1;
- islands smaller than 0.2 square units are dropped, except that each country keeps its largest
  shape, so that every country still has at least one;
- ids are upper-cased to ISO 3166-1 alpha-2 (Kosovo stays XK; US Minor Outlying Islands, which the
  source splits into um-dq, um-fq, ..., stay as they are, upper-cased);
- for each country it records the area (square units) and the centroid of its largest shape, used
  to draw a marker on countries too small to see.
"""

import json
import re
import sys
import xml.etree.ElementTree as ET

TOLERANCE = 0.12
MIN_ISLAND_AREA = 0.2
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[mMzZ]")


def parse_rings(d):
    """The source only uses 'm' (relative moveto, then implicit relative linetos) and 'z'."""
    rings, ring, cursor, start = [], None, (0.0, 0.0), (0.0, 0.0)
    tokens = NUMBER.findall(d)
    i, first = 0, True
    while i < len(tokens):
        tok = tokens[i]
        if tok in "mM":
            x, y = float(tokens[i + 1]), float(tokens[i + 2])
            if tok == "m" and not first:
                x, y = cursor[0] + x, cursor[1] + y
            cursor = start = (x, y)
            ring = [cursor]
            rings.append(ring)
            first = False
            i += 3
        elif tok in "zZ":
            cursor = start
            i += 1
        else:
            dx, dy = float(tokens[i]), float(tokens[i + 1])
            cursor = (cursor[0] + dx, cursor[1] + dy)
            ring.append(cursor)
            i += 2
    return rings


def area_and_centroid(ring):
    a = cx = cy = 0.0
    n = len(ring)
    for k in range(n):
        x0, y0 = ring[k]
        x1, y1 = ring[(k + 1) % n]
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a /= 2
    if abs(a) < 1e-9:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return abs(a), (cx / (6 * a), cy / (6 * a))


def _perp(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def douglas_peucker(points, tol):
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        lo, hi = stack.pop()
        best, idx = 0.0, None
        for k in range(lo + 1, hi):
            dist = _perp(points[k], points[lo], points[hi])
            if dist > best:
                best, idx = dist, k
        if idx is not None and best > tol:
            keep[idx] = True
            stack += [(lo, idx), (idx, hi)]
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring):
    if len(ring) > 4:
        # Split the closed ring at its farthest point from the start so both halves are open lines.
        far = max(range(len(ring)), key=lambda k: (ring[k][0] - ring[0][0]) ** 2 + (ring[k][1] - ring[0][1]) ** 2)
        if far > 0:
            ring = douglas_peucker(ring[: far + 1], TOLERANCE)[:-1] + douglas_peucker(ring[far:] + [ring[0]], TOLERANCE)[:-1]
    out = []
    for x, y in ring:
        q = (round(x * 10), round(y * 10))  # tenths of a unit, as integers
        if not out or out[-1] != q:
            out.append(q)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def fmt(tenths):
    s = f"{tenths / 10:.1f}"
    s = s.removesuffix(".0")
    return s.replace("0.", ".", 1) if s.startswith(("0.", "-0.")) else s


def encode(rings):
    parts = []
    for ring in rings:
        x0, y0 = ring[0]
        parts.append(f"M{fmt(x0)} {fmt(y0)}")
        seg, (px, py) = [], ring[0]
        for x, y in ring[1:]:
            seg.append(f"{fmt(x - px)} {fmt(y - py)}")
            px, py = x, y
        if seg:
            parts.append("l" + " ".join(seg))
        parts.append("z")
    # "1 -2" and "-1 -2": the minus sign is a separator of its own.
    return re.sub(r" -", "-", "".join(parts))


def main(path):
    root = ET.parse(path).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    view_box = [float(v) for v in root.get("viewBox").split()]
    countries = {}
    for el in root.iter(f"{ns}path"):
        code = el.get("id").upper()
        rings = parse_rings(el.get("d"))
        measured = sorted(((area_and_centroid(r), r) for r in rings), key=lambda t: -t[0][0])
        total_area = sum(m[0][0] for m in measured)
        kept = []
        for k, ((area, _), ring) in enumerate(measured):
            if k > 0 and area < MIN_ISLAND_AREA:
                continue
            simple = simplify_ring(ring)
            if len(simple) >= 3 or k == 0:
                kept.append(simple)
        cx, cy = measured[0][0][1]
        countries[code] = {
            "name": el.get("aria-label"),
            "d": encode(kept),
            "area": round(total_area, 3),
            "centroid": [round(cx, 1), round(cy, 1)],
        }
    json.dump({"viewBox": view_box, "countries": countries}, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


# The sprite is drawn at most about 1150 px wide (0.9 units a pixel at 1010 units): coarser than the
# data, a third of its bytes, and no difference a reader can see.
SPRITE_TOLERANCE = 0.4
SPRITE_MIN_ISLAND_AREA = 0.8


def sprite(data) -> str:
    """Every country as ``<path id="wm-XX">`` inside ``<g id="wm-all">``; no fill, so a ``<use>`` gives it one.
    vector-effect is not inherited, so it is on each path: strokes keep their width at any size."""
    global TOLERANCE
    saved, TOLERANCE = TOLERANCE, SPRITE_TOLERANCE
    try:
        paths = []
        for code, country in data["countries"].items():
            rings = parse_rings(country["d"])
            measured = sorted(((area_and_centroid(r)[0], r) for r in rings), key=lambda t: -t[0])
            kept = [simplify_ring(r) for k, (a, r) in enumerate(measured) if k == 0 or a >= SPRITE_MIN_ISLAND_AREA]
            kept = [r for k, r in enumerate(kept) if k == 0 or len(r) >= 3]
            paths.append(f'<path id="wm-{code}" d="{encode(kept)}" vector-effect="non-scaling-stroke"/>')
    finally:
        TOLERANCE = saved
    view_box = " ".join(f"{v:g}" for v in data["viewBox"])
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}"><g id="wm-all">{"".join(paths)}</g></svg>\n'


if __name__ == "__main__":
    if sys.argv[1] == "--sprite":
        with open(sys.argv[2], encoding="utf-8") as f:
            sys.stdout.write(sprite(json.load(f)))
    else:
        main(sys.argv[1])
