"""Findings about what was loaded and selected, in the right place: a partial lint says
nothing about what it did not load, a broken reference adds no follow-on finding, a plan
lists a finding under the change it concerns only, and a template sent only as a reply (or
marked as a snippet) has no subject findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app

TEMPLATE = """\
apiVersion: seqops/v1
kind: Template
metadata: {{name: {name}}}
spec:
  subject: "{subject}"
  bodyHtml: "<p>Hi {{{{first_name}}}}, worth a chat?</p>"
"""
SEQUENCE = """\
apiVersion: seqops/v1
kind: Sequence
metadata: {{name: {name}}}
spec:
  ruleset: rs
  steps:
    - {{type: auto_email, wait: 0, template: {first}}}
    - {{type: auto_email, wait: 3d, template: {second}, isReply: true}}
"""
RULESET = "apiVersion: seqops/v1\nkind: Ruleset\nmetadata: {name: rs}\nspec: {includeUnsubscribeLinks: true}\n"


def lint(*args: str | Path):
    return CliRunner().invoke(app, ["lint", "--no-color", *map(str, args)])


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (it has .git) with templates/ and sequences/ folders."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    for folder in ("templates", "sequences"):
        (tmp_path / folder).mkdir()
    for name in ("intro", "bump"):
        (tmp_path / "templates" / f"{name}.yaml").write_text(
            TEMPLATE.format(name=name, subject="Forecasting")
        )
    (tmp_path / "sequences" / "cold.yaml").write_text(
        SEQUENCE.format(name="cold", first="intro", second="bump") + "---\n" + RULESET
    )
    return tmp_path


def test_the_whole_repository_lints_clean(repo):
    result = lint(".")
    assert result.exit_code == 0 and "no lint findings" in result.output, result.output


def test_a_partial_lint_calls_no_template_unused_that_unloaded_sequences_send(repo):
    for given in ("templates", "templates/intro.yaml"):
        result = lint(given)
        assert "hygiene/unused-template" not in result.output, result.output


def test_a_partial_lint_still_reports_a_template_nothing_sends(repo):
    (repo / "templates" / "orphan.yaml").write_text(
        TEMPLATE.format(name="orphan", subject="Old pitch")
    )
    result = lint("templates")
    assert "templates/orphan.yaml:3:" in result.output
    assert "hygiene/unused-template warning: template 'orphan'" in result.output


def test_a_snippet_label_keeps_a_template_out_of_unused_and_subject_rules(repo):
    text = TEMPLATE.format(name="pricing", subject="[Client Name] pricing, as asked: " + "x" * 60)
    text = text.replace("{name: pricing}", "{name: pricing, labels: {seqops/use: snippet}}")
    (repo / "templates" / "pricing.yaml").write_text(text)
    result = lint(".")
    assert result.exit_code == 0 and "no lint findings" in result.output, result.output
    plain = text.replace(", labels: {seqops/use: snippet}", "")
    (repo / "templates" / "pricing.yaml").write_text(plain)
    result = lint(".")
    for rule in ("hygiene/unused-template", "content/placeholder", "content/subject-length"):
        assert rule in result.output


def test_a_broken_reference_adds_no_unused_template(repo):
    (repo / "sequences" / "cold.yaml").write_text(
        SEQUENCE.format(name="cold", first="intro", second="bmup") + "---\n" + RULESET
    )
    result = lint(".")
    assert result.exit_code == 1
    assert "manifest/invalid" in result.output and "bmup" in result.output
    assert "hygiene/unused-template" not in result.output, result.output


def test_a_reply_only_template_has_no_subject_findings_but_a_thread_starter_has(repo):
    bump = TEMPLATE.format(name="bump", subject="Re: [Client Name], {{first_name}} " + "y" * 60)
    (repo / "templates" / "bump.yaml").write_text(bump)
    assert "no lint findings" in lint(".").output
    (repo / "templates" / "intro.yaml").write_text(bump.replace("name: bump", "name: intro"))
    (repo / "templates" / "bump.yaml").write_text(TEMPLATE.format(name="bump", subject="x"))
    output = lint(".").output
    for rule in ("threading/fake-reply-subject", "content/placeholder", "content/subject-length"):
        assert "templates/intro.yaml:5:" in output and rule in output, output
