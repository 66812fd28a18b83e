"""Lint fixtures: manifests written to real files, loaded and linted as the CLI does."""

from __future__ import annotations

import datetime
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from seqops.lint import Finding, Linter, LintSettings
from seqops.lint.engine import reported
from seqops.manifest import load

CASES = Path(__file__).parent / "cases"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXPECT = re.compile(r"expect: ([\w/-]+)")
RULESET = (
    "---\napiVersion: seqops/v1\nkind: Ruleset\nmetadata: {name: rs}\n"
    "spec: {includeUnsubscribeLinks: true}\n"
)
"""Appended to each planted case (after it, so its lines do not move): the ruleset it uses."""
TODAY = datetime.date(2026, 12, 1)


def expected(text: str) -> set[tuple[str, int]]:
    """(rule, line) of every `expect: RULE` marker (a YAML or HTML comment on that line)."""
    return {
        (match.group(1), number)
        for number, line in enumerate(text.splitlines(), 1)
        for match in EXPECT.finditer(line)
    }


def found(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule, f.line) for f in findings}


@pytest.fixture
def lint(tmp_path: Path) -> Callable[..., list[Finding]]:
    """lint(text, settings=None) -> findings of the text written to a file (dedented)."""

    def lint(text: str, settings: LintSettings | None = None, name: str = "case.yaml"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        result = load([path])
        return reported(result, Linter(result, settings or LintSettings(), today=TODAY))

    return lint
