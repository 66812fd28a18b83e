"""Each rule against a manifest with one planted problem, and a clean control set: exactly the
expected rule ids at the expected lines, and nothing at all on well-written manifests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from seqops.lint import RULES, Linter, LintSettings
from seqops.lint.engine import reported
from seqops.manifest import load

from .conftest import CASES, EXAMPLES, RULESET, TODAY, expected, found

PLANTED = sorted((CASES / "planted").glob("*.yaml"))
ENABLE = re.compile(r"^# enable: ([\w/-]+)$", re.MULTILINE)
"""A case of a rule that is off by default turns it on."""


@pytest.mark.parametrize("case", PLANTED, ids=lambda p: p.stem)
def test_a_planted_problem_is_found_exactly_where_it_is(case: Path, tmp_path: Path):
    text = case.read_text()
    (tmp_path / case.name).write_text(text + RULESET)
    result = load([tmp_path / case.name])
    settings = LintSettings(rules=dict.fromkeys(ENABLE.findall(text), True))
    findings = reported(result, Linter(result, settings, today=TODAY))
    assert found(findings) == expected(text), "\n".join(map(str, findings))


def test_every_rule_has_a_planted_case():
    planted = {rule for case in PLANTED for rule, _ in expected(case.read_text())}
    untestable_offline = {
        "manifest/invalid",
        "lint/unknown-rule",
        "compliance/required-text",
        "merge-field/often-empty",
    }
    plan_only = {rule_id for rule_id, rule in RULES.items() if rule.plan_only}
    assert set(RULES) - planted - untestable_offline - plan_only == set()


@pytest.mark.parametrize("path", [EXAMPLES, CASES / "clean"], ids=["examples", "clean"])
def test_clean_manifests_have_no_findings(path: Path):
    result = load([path])
    assert result.ok, result.errors
    assert Linter(result, LintSettings(), today=TODAY).run() == []
