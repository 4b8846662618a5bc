"""The server-side SVG world map (members/worldmap.py) and the map data shipped with it."""

import importlib.util
import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from members import worldmap

SVG = "{http://www.w3.org/2000/svg}"
SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"
REGIONS = ["AFR", "AMR", "SEAR", "EUR", "EMR", "WPR"]


def _parse(svg):
    return ET.fromstring(str(svg))


def _paths(root):
    """The filled countries: each a <use> of its outline in the static sprite."""
    return {u.get("data-iso2"): u for u in root.iter(f"{SVG}use") if u.get("data-iso2")}


def _builder():
    spec = importlib.util.spec_from_file_location("build_worldmap", worldmap.DATA_FILE.parent / "build_worldmap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_svg_parses_and_is_an_accessible_picture():
    root = _parse(worldmap.render(fills={"KZ": "region-EUR"}, label="Members by region"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Members by region"
    assert root.find(f"{SVG}title").text == "Members by region"
    assert root.get("viewBox") == "0 0 1010 666"
    assert "world-map" in root.get("class").split()


def test_countries_get_their_class_and_the_rest_the_neutral_one():
    svg = worldmap.render(
        fills={"KZ": "region-EUR", "fr": "status-member", "BR": "region-AMR status-former"}, label="Map"
    )
    root = _parse(svg)
    paths = _paths(root)
    assert paths["KZ"].get("class").split() == ["wm-country", "region-EUR"]
    assert paths["FR"].get("class").split() == ["wm-country", "status-member"]  # lower-case keys work
    assert paths["BR"].get("class").split() == ["wm-country", "region-AMR", "status-former"]
    assert paths["KZ"].get("href") == "/static/members/worldmap.svg#wm-KZ"
    # Every other country is drawn once, by the neutral base: the whole sprite.
    base = [u for u in root.iter(f"{SVG}use") if not u.get("data-iso2")]
    assert [(u.get("href"), u.get("class")) for u in base] == [
        ("/static/members/worldmap.svg#wm-all", f"wm-base {worldmap.NEUTRAL_CLASS}")]
    assert set(paths) == {"KZ", "FR", "BR"}
    assert all(p.find(f"{SVG}title").text for p in paths.values())
    # The page carries no outline: a map of three members is a few hundred bytes.
    assert len(str(svg)) < 1500


def test_the_sprite_has_every_outline_and_is_current():
    root = ET.fromstring(worldmap.SPRITE_FILE.read_text(encoding="utf-8"))
    ids = {p.get("id") for p in root.iter(f"{SVG}path")}
    assert ids == {f"wm-{code}" for code in worldmap.codes()}
    assert root.find(f"{SVG}g").get("id") == "wm-all"
    assert all(len(p.get("d")) > 10 and p.get("fill") is None for p in root.iter(f"{SVG}path"))
    data = json.loads(worldmap.DATA_FILE.read_text(encoding="utf-8"))
    # Rebuild with: python3 members/data/worldmap/build_worldmap.py --sprite members/data/worldmap/world.json
    assert worldmap.SPRITE_FILE.read_text(encoding="utf-8") == _builder().sprite(data)
    assert worldmap.SPRITE_FILE.stat().st_size < 150_000


def test_codes_the_map_lacks_are_ignored_and_reported():
    svg = worldmap.render(fills={"ZZ": "region-EUR", "KZ": "region-EUR"}, label="Map")
    assert "ZZ" not in _paths(_parse(svg))
    assert worldmap.missing(["zz", "KZ", "QQ"]) == ["QQ", "ZZ"]


def test_titles_and_label_are_escaped():
    nasty = '<script>alert("x")</script> & Co <b>'
    svg = worldmap.render(fills={"KZ": "region-EUR"}, titles={"kz": nasty}, label='A "label" <&>')
    text = str(svg)
    assert "<script>" not in text and "<b>" not in text
    root = _parse(svg)  # still well-formed XML
    assert _paths(root)["KZ"].find(f"{SVG}title").text == nasty
    assert root.get("aria-label") == 'A "label" <&>'
    # Default tooltips are the map's own names.
    root = _parse(worldmap.render(fills={"FR": "region-EUR"}, label="Map"))
    assert _paths(root)["FR"].find(f"{SVG}title").text == "France"


@pytest.mark.parametrize("bad", ['region-EUR" onload="alert(1)', "a<b", "", "1abc"])
def test_class_names_are_checked(bad):
    with pytest.raises(ValueError):
        worldmap.render(fills={"KZ": bad}, label="Map")
    with pytest.raises(ValueError):
        worldmap.legend([(bad, "x")])


def test_tiny_filled_countries_get_a_marker():
    root = _parse(worldmap.render(fills={"TV": "status-member", "MC": "region-EUR", "FR": "region-EUR"}, label="M"))
    circles = {c.get("data-iso2"): c for c in root.iter(f"{SVG}circle")}
    assert set(circles) == {"TV", "MC"}  # France is big enough; unfilled tiny countries get none
    assert circles["TV"].get("class").split() == ["wm-marker", "status-member"]
    assert 0 < float(circles["TV"].get("cx")) < 1010 and 0 < float(circles["TV"].get("cy")) < 666
    none = _parse(worldmap.render(fills={"TV": "status-member"}, label="M", markers=False))
    assert not list(none.iter(f"{SVG}circle"))


def test_map_data_is_loaded_once_and_rendering_is_fast():
    worldmap.render(fills={}, label="warm-up")
    before = worldmap._load.cache_info()
    start = time.perf_counter()
    first = worldmap.render(fills={"KZ": "region-EUR"}, label="Map")
    second = worldmap.render(fills={"KZ": "region-EUR"}, label="Map")
    elapsed = time.perf_counter() - start
    after = worldmap._load.cache_info()
    assert first == second
    assert after.misses == before.misses and after.hits >= before.hits + 2
    assert elapsed < 0.5, elapsed  # about 2 ms each on the dev machine; parsing the file takes longer


def test_legend_is_a_list_with_hidden_swatches():
    html = str(worldmap.legend([("region-EUR", "European <Region>"), ("status-member", "Member")], label="Key"))
    root = ET.fromstring(html)
    assert root.tag == "ul" and root.get("aria-label") == "Key"
    items = root.findall("li")
    assert [li.find("span").get("class") for li in items] == ["wm-swatch region-EUR", "wm-swatch status-member"]
    assert all(li.find("span").get("aria-hidden") == "true" for li in items)
    assert "".join(items[0].itertext()) == "European <Region>"


def test_map_data_is_small_enough_to_ship():
    assert worldmap.DATA_FILE.stat().st_size < 1_000_000
    for name in ("SOURCE.md", "LICENSE.md"):
        assert (worldmap.DATA_FILE.parent / name).is_file()


def test_css_has_a_fill_for_every_region_and_status():
    css = SITE_CSS.read_text(encoding="utf-8")
    for cls in [f"region-{r}" for r in REGIONS] + ["status-member", "status-former", "status-none", "wm-none"]:
        assert f".world-map .{cls}" in css, cls


@pytest.mark.django_db
def test_every_who_member_state_is_on_the_map():
    from members.models import Country

    iso2 = set(Country.objects.values_list("iso2", flat=True))
    assert len(iso2) == 194
    assert worldmap.missing(iso2) == []
    # Tiny ones (Nauru, Tuvalu, Monaco, ...) are drawn as a marker as well as their shape.
    fills = {c: "status-member" for c in iso2}
    root = _parse(worldmap.render(fills=fills, label="All"))
    paths, circles = _paths(root), {c.get("data-iso2") for c in root.iter(f"{SVG}circle")}
    assert iso2 <= set(paths)
    assert {"NR", "TV", "MC", "SM", "MV", "CK", "NU", "PW", "MH", "KI", "FM", "TO"} <= circles
    assert circles <= iso2


@pytest.fixture
def full_map(db):
    """The 194 countries by region, built before Playwright starts (its greenlets would otherwise
    open a second database connection that outlives the test)."""
    from members.models import Country

    countries = list(Country.objects.all())
    names = {c.iso2: c.name for c in countries}
    return worldmap.render(
        fills={c.iso2: f"region-{c.who_region}" for c in countries},
        titles={c.iso2: f"{names[c.iso2]} ({c.get_who_region_display()})" for c in countries},
        label="WHO Member States by WHO region",
    ), worldmap.legend([(f"region-{value}", str(label)) for value, label in Country._meta.get_field(
        "who_region").choices], label="WHO regions")


@pytest.mark.browser
def test_full_map_renders_in_a_browser(full_map, page, screenshot_dir):
    svg, legend = full_map
    (screenshot_dir / "worldmap.svg").write_text(str(svg), encoding="utf-8")
    css = SITE_CSS.read_text(encoding="utf-8")
    html = (f'<!DOCTYPE html><html lang="en"><head><style>{css}</style></head>'
            f'<body><main class="wrap"><figure class="wm-figure">{svg}<figcaption>{legend}</figcaption></figure>'
            "</main></body></html>")
    # The page and its sprite from one origin, as the site serves them.
    page.route("http://map.test/", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.route("http://map.test/static/members/worldmap.svg",
               lambda route: route.fulfill(path=str(worldmap.SPRITE_FILE), content_type="image/svg+xml"))
    page.goto("http://map.test/")
    box = page.locator("svg.world-map").bounding_box()
    assert box["width"] > 1000 and 600 < box["height"] < 800  # 72rem wide, the map's 1010:666 ratio
    # The CSS applies: Kazakhstan is drawn in the European Region's colour, Brazil in the Americas'.
    fill = page.eval_on_selector('use[data-iso2="KZ"]', "el => getComputedStyle(el).fill")
    assert fill == "rgb(0, 114, 178)"
    fill = page.eval_on_selector('use[data-iso2="BR"]', "el => getComputedStyle(el).fill")
    assert fill == "rgb(213, 94, 0)"
    page.screenshot(path=screenshot_dir / "worldmap.png", full_page=True)
