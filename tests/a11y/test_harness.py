"""The accessibility harness itself: axe loads under the site's CSP and reports what it finds."""

from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from members import worldmap
from tests.a11y.axe import AXE_VERSION, assert_no_violations, inject_axe, run_axe, tab_order, tab_until

pytestmark = pytest.mark.browser

SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"
# The site's policy, as a <meta> so that set_content() pages get it too.
CSP = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; "
       "style-src 'self' 'unsafe-inline'\">")


def _html(body, *, css=""):
    return (f'<!DOCTYPE html><html lang="en"><head>{CSP}<title>Test page</title><style>{css}</style></head>'
            f'<body><main>{body}</main></body></html>')


def test_axe_loads_despite_a_strict_csp(page):
    page.set_content(_html("<h1>Hello</h1>"))
    # The page's own inline scripts are refused...
    with pytest.raises(PlaywrightError):
        page.add_script_tag(content="window.inlineRan = true")
    assert page.evaluate("() => window.inlineRan === undefined")
    # ...but axe still loads, once per document.
    inject_axe(page)
    inject_axe(page)
    assert page.evaluate("() => axe.version") == AXE_VERSION
    assert_no_violations(page, name="clean page")


def test_violations_are_reported_readably(page):
    page.set_content(_html(
        '<h1>Bad page</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" class="pic">'
        '<p style="color:#aaa;background:#fff">Hard to read</p><input id="nameless">'
    ))
    ids = {v["id"] for v in run_axe(page)}
    assert {"image-alt", "color-contrast", "label"} <= ids
    with pytest.raises(AssertionError) as failure:
        assert_no_violations(page, name="bad page")
    message = str(failure.value)
    assert "on bad page" in message
    assert "- image-alt [critical]: Images must have alternative text" in message
    assert "    at img\n" in message and 'class="pic"' in message and "    at #nameless\n" in message
    assert "color-contrast [serious]" in message
    # Rules can be switched off one by one, and the check limited to part of the page.
    assert {v["id"] for v in run_axe(page, disable=["color-contrast"])} == {"image-alt", "label"}
    assert {v["id"] for v in run_axe(page, context="h1")} == set()


def test_tab_helpers(page):
    page.set_content(_html('<a href="#a" id="a">One</a> <p>Text</p> <button id="b">Two</button> <input id="c" aria-label="Three">'))
    assert tab_until(page, "#b")
    assert not tab_until(page, "p", max_tabs=3)
    page.set_content(_html('<a href="#a" id="a">One</a> <button id="b">Two</button>'))
    assert tab_order(page) == ['a#a "One"', 'button#b "Two"']
    assert tab_until(page, "#a", reverse=True)


def test_world_map_and_legend_pass_axe(page):
    svg = worldmap.render(
        fills={"KZ": "status-member", "FR": "status-former", "TV": "status-member"},
        titles={"KZ": "Kazakhstan: member"}, label="Members of the Coalition",
    )
    key = worldmap.legend([("status-member", "Member"), ("status-former", "Former member"), ("status-none", "Not a member")])
    page.set_content(_html(f'<h1>Map</h1><figure class="wm-figure">{svg}<figcaption>{key}'
                           '<p class="wm-credit">Map: MapSVG, CC BY 4.0</p></figcaption></figure>',
                           css=SITE_CSS.read_text(encoding="utf-8")))
    assert page.locator("svg.world-map").get_attribute("role") == "img"
    assert_no_violations(page, name="world map")
