"""Accessibility checks with axe-core (installed by ``make node``, never fetched from a CDN).

Decision on the Content-Security-Policy: our CSP allows scripts from 'self' and
nonces only, and ``page.add_script_tag(path=…)`` injects axe-core as an *inline*
script, which that policy blocks. So pages checked with axe are opened in a
context with ``bypass_csp=True`` (``@pytest.mark.browser_context(bypass_csp=True)``).
The price is that the checked page runs without its CSP: an inline style or
script the CSP would block in production would count here. To keep the result
honest, ``assert_no_axe_violations`` also refuses pages with inline ``style``
attributes or ``<style>`` elements, which the CSP would strip (pseudo-rule
``csp-inline-style``, which ``rules_off`` can turn off like any axe rule), and
``test_login.test_it_loads_nothing_from_other_hosts`` runs with the CSP on and
fails on any CSP violation. When the CSP is not bypassed the helper says how to
bypass it instead of failing obscurely.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.browser import unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")
TARGETS_SHOWN = 3
CSP_INLINE_STYLE = "csp-inline-style"

_RUN = """
async ([context, tags, rulesOff]) => {
  // Only the tags this axe-core knows (it has no "wcag22a" rules yet, for instance).
  const known = new Set(axe.getRules().flatMap((rule) => rule.tags));
  const options = {
    runOnly: { type: "tag", values: tags.filter((tag) => known.has(tag)) },
    rules: Object.fromEntries(rulesOff.map((id) => [id, { enabled: false }])),
    resultTypes: ["violations"],
  };
  const result = await axe.run(context === null ? document : context, options);
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((n) => n.target.map((t) => Array.isArray(t) ? t.join(" >>> ") : t).join(" | ")),
    summary: v.nodes.length ? (v.nodes[0].failureSummary || "") : "",
  }));
}
"""

_STYLE_IN_PAGE = """
() => [
  ...Array.from(document.querySelectorAll("[style]"), (e) => e.tagName.toLowerCase() + "[style]"),
  ...Array.from(document.querySelectorAll("style"), () => "<style>"),
]
"""


def _inject(page: Page) -> None:
    from playwright.sync_api import Error

    if not AXE_JS.is_file():
        unavailable(f"axe-core is not installed at {AXE_JS}: run make node")
    try:
        page.add_script_tag(path=str(AXE_JS))
    except Error as exc:
        raise AssertionError(
            "axe-core could not be injected; the page's Content-Security-Policy blocks inline scripts: "
            "open the page with @pytest.mark.browser_context(bypass_csp=True). "
            f"Playwright said: {exc.message}"
        ) from None
    if not page.evaluate("() => typeof window.axe === 'object'"):
        raise AssertionError(
            "axe-core did not load; if the page's Content-Security-Policy blocked it, open the page "
            "with @pytest.mark.browser_context(bypass_csp=True)"
        )


def format_violations(violations: Sequence[dict[str, Any]], where: str) -> str:
    lines = [f"{len(violations)} axe violation(s) on {where}:"]
    for v in violations:
        targets = v["targets"]
        shown = ", ".join(targets[:TARGETS_SHOWN]) + (f" (+{len(targets) - TARGETS_SHOWN} more)" if len(targets) > TARGETS_SHOWN else "")
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} ({v['helpUrl']})")
        lines.append(f"    at {shown}")
        summary = " ".join(str(v["summary"]).split())
        if summary:
            lines.append(f"    {summary[:300]}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, *, context: str | None = None, rules_off: Sequence[str] = ()) -> None:
    """Fail with a readable list when axe-core finds WCAG 2.0/2.1/2.2 A or AA violations.

    ``context`` is a CSS selector limiting the check to part of the page;
    ``rules_off`` names axe rules not to run (say why wherever you use it), or
    ``csp-inline-style`` (see the module docstring).
    """
    violations: list[dict[str, Any]] = []
    if CSP_INLINE_STYLE not in rules_off:
        inline = page.evaluate(_STYLE_IN_PAGE)
        if inline:
            violations.append({
                "id": CSP_INLINE_STYLE, "impact": "serious",
                "help": "Inline styles are blocked by the CSP (style-src 'self'): readers do not get them, "
                        "and a check with the CSP bypassed would not show what they see",
                "helpUrl": "unforgotten/settings.py SECURE_CSP", "targets": inline, "summary": "",
            })
    _inject(page)
    violations += page.evaluate(_RUN, [context, list(WCAG_TAGS), [r for r in rules_off if r != CSP_INLINE_STYLE]])
    where = page.url + (f" ({context})" if context else "")
    assert not violations, format_violations(violations, where)
