"""Accessibility checks in the browser: axe-core (vendored in tests/a11y/vendor) and keyboard helpers.

    from tests.a11y.axe import assert_no_violations, tab_until

    page.goto(live_server.url + "/en/members/")
    assert_no_violations(page, name="directory")
    assert tab_until(page, "#id_region")

The site's Content-Security-Policy (script-src 'self') forbids inline <script> tags and eval(),
so axe is not injected with page.add_script_tag(): its source is handed to Playwright's
page.evaluate(), which runs it through the DevTools protocol, where the page's CSP does not apply.
The page under test is left exactly as the site serves it (no bypass_csp context).
"""

import functools
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_FILE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: what issue 7 asks for.
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


@functools.cache
def _axe_source() -> str:
    return AXE_FILE.read_text(encoding="utf-8")


def inject_axe(page) -> None:
    """Load axe-core into the current document (again after each navigation)."""
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    # The source as a function body: evaluated by Playwright, not by the page, so CSP allows it.
    page.evaluate("() => {\n" + _axe_source() + "\n}")
    version = page.evaluate("() => window.axe && window.axe.version")
    assert version == AXE_VERSION, f"axe-core did not load (got {version!r})"


_RUN = """async ({context, options}) => {
  const results = await window.axe.run(context || document, options);
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
    nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary})),
  }));
}"""


def run_axe(page, *, tags=WCAG_21_AA, disable=(), context=None) -> list[dict]:
    """The violations axe-core finds in the current page, as plain dicts.

    tags: axe rule tags to run (default: WCAG 2.0/2.1 A and AA).
    disable: ids of rules to leave out (say why where you do it).
    context: a CSS selector to check only part of the page (default: the whole document).
    """
    inject_axe(page)
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    return page.evaluate(_RUN, {"context": context, "options": options})


def format_violations(violations, *, name="page", url="") -> str:
    """A readable report: one block per rule, one line per offending element."""
    count = sum(len(v["nodes"]) for v in violations)
    lines = [f"{len(violations)} accessibility rule(s) violated by {count} element(s) on {name}"
             + (f" ({url})" if url else "") + ":"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']}  <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}")
            lines.append(f"       {_shorten(node['html'])}")
            for row in (node.get("summary") or "").splitlines():
                if row.strip():
                    lines.append(f"       | {row.strip()}")
    return "\n".join(lines)


def _shorten(html, limit=160):
    html = " ".join(html.split())
    return html if len(html) <= limit else html[: limit - 1] + "…"


def assert_no_violations(page, *, name, tags=WCAG_21_AA, disable=(), context=None) -> None:
    """Fail with a readable list of violations (rule id, impact, help, the elements) if axe finds any."""
    violations = run_axe(page, tags=tags, disable=disable, context=context)
    assert not violations, format_violations(violations, name=name, url=page.url)


def focused_description(page) -> str:
    """The focused element, described for messages: tag#id.class "its label or text"."""
    return page.evaluate("""() => {
      const el = document.activeElement;
      if (!el || el === document.body) return '(nothing: <body>)';
      const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText);
      const own = el.tagName === 'SELECT' ? el.selectedOptions[0] && el.selectedOptions[0].text : el.innerText;
      const text = (label || own || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
      return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
        + (text ? ' "' + text + '"' : '');
    }""")


def tab_until(page, selector, max_tabs=50, *, reverse=False) -> bool:
    """Press Tab (Shift+Tab with reverse=True) until an element matching ``selector`` has the focus.

    Returns True as soon as it has, False after ``max_tabs`` presses. ``selector`` is any
    Playwright selector. It starts from wherever the focus is: after page.goto() that is the top
    of the document, so the first Tab reaches the skip link.
    """
    target = page.locator(selector)
    key = "Shift+Tab" if reverse else "Tab"
    for _ in range(max_tabs):
        page.keyboard.press(key)
        if target.evaluate_all("els => els.includes(document.activeElement)"):
            return True
    return False


def tab_order(page, max_tabs=100) -> list[str]:
    """The elements Tab visits from the current focus, described as in focused_description()."""
    seen = []
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        here = focused_description(page)
        if here.startswith("(nothing") or (seen and here == seen[0]):
            break
        seen.append(here)
    return seen
