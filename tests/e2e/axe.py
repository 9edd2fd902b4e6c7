"""axe-core in a real Chromium page: run it, sort what it finds into ours and Streamlit's.

The engine is the vendored npm package (``vendor/axe-core``, MPL-2.0): injected into the
page from the file, so nothing is fetched. It checks WCAG 2.1 A and AA (colour contrast
among them). A violation whose every element is one Streamlit itself draws, on a rule
listed in :data:`STREAMLIT_OWN` with its upstream issue, is Streamlit's; any other serious
or critical one is ours and fails the test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
#: The rules axe runs: WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = ("serious", "critical")
#: One line per page checked in this run, printed in the test session's terminal summary.
RESULTS: list[str] = []


@dataclass(frozen=True)
class KnownIssue:
    """A violation inside Streamlit's own markup: the rule, the elements (a pattern that
    each offending element's selector matches) and the upstream issue that tracks it."""

    rule: str
    targets: str
    upstream: str
    why: str


#: Violations of Streamlit's own markup, each with its upstream issue (also in the README).
STREAMLIT_OWN: tuple[KnownIssue, ...] = ()


@dataclass(frozen=True)
class Violation:
    """One axe rule broken on a page: its impact and the selectors of the elements."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    @property
    def known(self) -> KnownIssue | None:
        """The upstream issue this violation is, when every element is Streamlit's own."""
        for issue in STREAMLIT_OWN:
            if issue.rule == self.rule and all(
                re.search(issue.targets, target) for target in self.targets
            ):
                return issue
        return None

    @property
    def ours(self) -> bool:
        """A serious or critical violation not known to be Streamlit's."""
        return self.impact in SERIOUS and self.known is None


def run_axe(page) -> list[Violation]:
    """Every WCAG A/AA violation axe finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({
                rule: v.id, impact: v.impact || 'minor', help: v.help,
                targets: v.nodes.map(n => n.target.join(' '))}));
        }""",
        AXE_TAGS,
    )
    return [
        Violation(item["rule"], item["impact"], item["help"], tuple(item["targets"]))
        for item in found
    ]


def summary_row(label: str, violations: list[Violation]) -> str:
    """One line of the results table: the page, then each rule with impact and count,
    marked ``ours`` or with Streamlit's upstream issue."""
    if not violations:
        return f"{label:<34} none"
    parts = []
    for item in violations:
        where = "OURS" if item.ours else (item.known.upstream if item.known else "minor")
        parts.append(f"{item.rule} ({item.impact}, {len(item.targets)}: {where})")
    return f"{label:<34} " + "; ".join(parts)
