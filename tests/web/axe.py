"""Run axe-core (installed from npm into node_modules/, see package.json) on a page open in Playwright.

The browser here cannot download anything, so the checker's script is read from disk and injected into the
page. Only WCAG 2.0, 2.1 and 2.2 level A and AA rules run: those are what the service has to meet; axe's
"best-practice" rules are advice and would fail builds on matters WCAG leaves open.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.async_api import Page

REPO = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
# Minor and moderate findings are reported but do not fail a test; these do.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    help_url: str
    nodes: tuple[tuple[str, str], ...]  # (CSS selector, axe's summary of what to fix) per failing element

    def describe(self) -> str:
        lines = [f"[{self.impact}] {self.rule}: {self.help} ({self.help_url})"]
        for target, summary in self.nodes:
            lines.append(f"    at {target}")
            lines.extend(f"      {line}" for line in summary.splitlines())
        return "\n".join(lines)


async def run_axe(page: Page) -> list[Violation]:
    """Every WCAG A/AA violation axe finds on the page as it is now (after any script has run)."""
    if not AXE_SCRIPT.is_file():
        raise RuntimeError(f"{AXE_SCRIPT} is missing: run `npm ci` (or `make pytest`) at the repository root")
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        # Needs a context made with bypass_csp=True: the app's CSP forbids inline script, which is right for
        # the app and would otherwise block the injected checker too.
        await page.add_script_tag(content=AXE_SCRIPT.read_text(encoding="utf-8"))
    raw: list[dict[str, Any]] = await page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations;
        }""",
        list(WCAG_TAGS),
    )
    return [
        Violation(
            rule=item["id"],
            impact=item.get("impact") or "unknown",
            help=item["help"],
            help_url=item["helpUrl"],
            nodes=tuple(
                (" ".join(str(part) for part in node["target"]), node.get("failureSummary") or "")
                for node in item["nodes"]
            ),
        )
        for item in raw
    ]


def describe(violations: list[Violation]) -> str:
    return "\n".join(violation.describe() for violation in violations)


async def assert_accessible(page: Page, where: str) -> list[Violation]:
    """Fail on any serious or critical violation, listing all of them; return the minor ones (for the log)."""
    violations = await run_axe(page)
    blocking = [v for v in violations if v.impact in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core found serious problems on {where}:\n{describe(blocking)}"
    if violations:
        print(f"axe-core notes on {where} (not failing):\n{describe(violations)}")
    return violations
