"""Lint inside plan and apply, through the real CLI against the embedded sandbox: findings next
to the change they concern (text and Markdown), saved in the plan file; apply refuses on a lint
error unless `lint.blockApply: false`; the plan-time rule on templates changed under active
prospects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app
from tests.cli.test_plan import enroll_all

GOOD = """\
apiVersion: seqops/v1
kind: Ruleset
metadata: {name: rules}
spec: {includeUnsubscribeLinks: true}
---
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec:
  subject: Quick intro
  bodyHtml: |
    <p>Hello {{first_name}},</p>
    <p>Best, {{sender.first_name}}</p>
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: inbound}
spec:
  displayName: Inbound demo
  ruleset: rules
  enabled: true
  steps:
    - {type: auto_email, wait: 0, template: intro}
    - {type: call, wait: 2d}
"""
TYPO = GOOD.replace("<p>Hello {{first_name}},</p>", "<p>Hello {{first_nmae}},</p>")
TYPO_AT = "manifests/account.yaml:12:14: merge-field/unknown error"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    (tmp_path / "manifests").mkdir()
    return tmp_path


def write(workdir: Path, text: str) -> None:
    (workdir / "manifests" / "account.yaml").write_text(text)


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


def test_the_text_plan_shows_a_finding_under_its_change(workdir):
    write(workdir, TYPO)
    result = seqops("plan", "manifests", "--no-color")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if TYPO_AT in line)
    change = max(i for i, line in enumerate(lines[:at]) if line.startswith("+ create"))
    assert lines[change] == "+ create Template/intro"
    assert lines[at].strip().startswith("lint ")
    assert "1 lint error: apply refuses this plan" in result.stdout


def test_the_markdown_plan_shows_the_finding_in_the_changes_section(workdir):
    write(workdir, TYPO)
    result = seqops("plan", "manifests", "--format", "markdown")
    assert result.exit_code == 0, result.output
    sections = result.stdout.split("<details>")
    (template,) = [s for s in sections if "Template/intro" in s.split("</summary>")[0]]
    assert TYPO_AT in template
    assert "{{first_nmae}}" in template
    assert not any(TYPO_AT in s for s in sections if s is not template)
    assert "❌ **1 lint error: apply refuses this plan" in sections[0]


def test_apply_refuses_a_plan_with_a_lint_error_and_writes_nothing(workdir):
    write(workdir, TYPO)
    result = seqops("apply", "manifests", "--yes", "--no-color")
    assert result.exit_code == 1
    assert "refusing to apply: 1 lint error" in result.output
    assert TYPO_AT in result.output
    replan = seqops("plan", "manifests", "--no-color")
    assert "Plan: 3 to create, 1 to enable." in replan.stdout  # nothing was written


def test_a_saved_plan_keeps_its_findings_and_apply_plan_refuses_it(workdir):
    write(workdir, TYPO)
    assert seqops("plan", "manifests", "--out", "plan.json").exit_code == 0
    saved = json.loads((workdir / "plan.json").read_text())
    (change,) = [c for c in saved["changes"] if c["kind"] == "Template"]
    assert [f["rule"] for f in change["lint"]] == ["merge-field/unknown"]
    result = seqops("apply", "--plan", "plan.json", "--yes")
    assert result.exit_code == 1
    assert "refusing to apply: 1 lint error" in result.output


def test_block_apply_false_lets_it_through_and_the_account_converges(workdir):
    write(workdir, TYPO)
    (workdir / "seqops.yaml").write_text("lint:\n  blockApply: false\n")
    result = seqops("apply", "manifests", "--yes", "--no-color")
    assert result.exit_code == 0, result.output
    assert TYPO_AT in result.stdout  # still shown
    replan = seqops("plan", "manifests", "--no-color", "--detailed-exitcode")
    assert replan.exit_code == 0, replan.output


def test_warnings_do_not_block_apply(workdir):
    write(workdir, GOOD.replace("  ruleset: rules\n", ""))  # hygiene/no-ruleset, a warning
    result = seqops("apply", "manifests", "--yes", "--no-color")
    assert result.exit_code == 0, result.output
    assert "hygiene/no-ruleset warning" in result.stdout
    assert seqops("plan", "manifests", "--detailed-exitcode").exit_code == 0


def test_unchanged_resources_are_not_linted(workdir):
    write(workdir, GOOD)
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    write(workdir, GOOD.replace("Quick intro", "Quick intro, see example.com"))
    (workdir / "seqops.yaml").write_text("lint:\n  rules:\n    content/placeholder: error\n")
    # the template changes: its placeholder is reported (as configured, an error)
    result = seqops("plan", "manifests", "--no-color")
    assert "content/placeholder error" in result.stdout
    write(workdir, GOOD.replace("displayName: Inbound demo", "displayName: Inbound demos"))
    (workdir / "manifests" / "other.yaml").write_text(
        "apiVersion: seqops/v1\nkind: Ruleset\nmetadata: {name: unused}\nspec: {}\n"
    )
    result = seqops("plan", "manifests", "--no-color")
    assert "lint " not in result.stdout


def test_a_template_changed_under_active_prospects_is_reported(workdir):
    write(workdir, GOOD)
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    enroll_all(workdir, n=3)
    write(workdir, GOOD.replace("<p>Best,", "<p>Kind regards,"))
    result = seqops("plan", "manifests", "--no-color")
    assert result.exit_code == 0, result.output
    assert (
        "manifests/account.yaml:11:13: hygiene/template-changed-active warning: template 'intro' "
        "changes while 3 active prospects are in sequences that send it"
    ) in result.stdout


FOLLOW_UP = """\
---
apiVersion: seqops/v1
kind: Template
metadata: {name: follow-up}
spec:
  subject: Quick follow-up
  bodyHtml: |
    <p>Hello again {{first_name}},</p>
    <p>Best, {{sender.first_name}}</p>
"""


def test_a_step_that_sends_another_template_under_active_prospects_is_reported(workdir):
    """The active prospects get another email from the step: said at the sequence's steps. A
    step whose wait alone changes sends the same email, and is not this finding."""
    write(workdir, GOOD + FOLLOW_UP)
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    enroll_all(workdir, n=3)
    write(workdir, GOOD.replace("template: intro}", "template: follow-up}") + FOLLOW_UP)
    result = seqops("plan", "manifests", "--no-color")
    assert result.exit_code == 0, result.output
    assert (
        "manifests/account.yaml:22:3: hygiene/template-changed-active warning: an email step "
        "changes template while 3 active prospects are in sequences that send it"
    ) in result.stdout
    write(workdir, GOOD.replace("wait: 2d}", "wait: 3d}") + FOLLOW_UP)
    result = seqops("plan", "manifests", "--no-color")
    assert "~ update Sequence/inbound" in result.stdout
    assert "template-changed-active" not in result.stdout


def test_a_sequence_s_own_findings_stay_off_a_changed_template_it_sends(workdir):
    no_ruleset = GOOD.replace("  ruleset: rules\n", "")  # hygiene/no-ruleset, the sequence's own
    write(workdir, no_ruleset)
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    # the template changes and loses any way out: its opt-out finding is about the template
    write(workdir, no_ruleset.replace("<p>Best,", "<p>Kind regards,"))
    for args in ([], ["--select", "Template/intro"]):
        result = seqops("plan", "manifests", "--no-color", "--format", "json", *args)
        plan = json.loads(result.stdout)
        (change,) = plan["changes"]
        assert (change["kind"], change["name"]) == ("Template", "intro")
        rules = [finding["rule"] for finding in change["lint"]]
        assert rules == ["compliance/opt-out"], rules
        assert change["lint"][0]["kind"] == "Sequence"  # reported at the step that sends it
