"""axe-core checks against WCAG 2.2 A and AA, run in the page as the user sees it."""

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE_SOURCE = Path(__file__).with_name("axe.min.js")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def _axe_source() -> str:
    if not AXE_SOURCE.exists():
        raise AssertionError(f"axe-core is missing: expected {AXE_SOURCE}")
    return AXE_SOURCE.read_text(encoding="utf-8")


def _inject_axe(page: Page) -> None:
    # page.add_script_tag would insert an inline <script>, which the app's CSP (script-src
    # 'self' + nonce) rightly blocks; evaluating through the DevTools protocol is not subject
    # to the page's CSP, so the policy stays on and the page is tested as users get it.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source() + "\n;undefined")


def axe_violations(page: Page) -> list[dict]:
    _inject_axe(page)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return results["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                     f" [{violation['helpUrl']}]")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            fixes = " ".join(line.strip() for line in node.get("failureSummary", "").splitlines())
            lines.append(f"    at {target}: {fixes}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fails listing every WCAG 2.2 A/AA violation axe-core finds on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, (
        f"{len(violations)} accessibility violation(s) on {page.url}:\n{describe(violations)}")
