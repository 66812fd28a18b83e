"""`--select KIND/NAME` on plan and apply: only the selected resources are planned and applied,
nothing outside them is retired, and the rest converges later with a full apply."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app
from seqops.config import embedded_target
from seqops.embedded import embedded_provider


def template(name: str, subject: str) -> str:
    return f"""\
apiVersion: seqops/v1
kind: Template
metadata: {{name: {name}}}
spec: {{subject: {subject}, bodyHtml: <p>Hello</p>}}
"""


def sequence(name: str, template: str, description: str = "first") -> str:
    return f"""\
apiVersion: seqops/v1
kind: Sequence
metadata: {{name: {name}}}
spec:
  description: {description}
  enabled: true
  steps:
    - {{type: auto_email, wait: 0, template: {template}}}
"""


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


def write(root: Path, name: str, text: str) -> None:
    (root / "manifests" / f"{name}.yaml").write_text(text)


def live(root: Path) -> dict[tuple[str, str], object]:
    async def read():
        provider = embedded_provider(embedded_target(root / ".seqops" / "sandbox.db"))
        try:
            return await provider.read()
        finally:
            await provider.aclose()

    state = asyncio.run(read())
    return {(o.kind, o.display_name): o for o in state.objects}


def changes(result) -> list[tuple[str, str, str]]:
    return [(c["action"], c["kind"], c["name"]) for c in json.loads(result.stdout)["changes"]]


@pytest.fixture
def account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Applied: templates intro and outro, sequences inbound (intro), outbound and webinar
    (outro). Then the manifests move on: inbound, outbound and intro change, webinar's
    manifest is gone (a full plan would retire it)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    (tmp_path / "manifests").mkdir()
    write(tmp_path, "intro", template("intro", "Hi"))
    write(tmp_path, "outro", template("outro", "Bye"))
    write(tmp_path, "inbound", sequence("inbound", "intro"))
    write(tmp_path, "outbound", sequence("outbound", "outro"))
    write(tmp_path, "webinar", sequence("webinar", "outro"))
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    write(tmp_path, "intro", template("intro", "Hello there"))
    write(tmp_path, "inbound", sequence("inbound", "intro", "second"))
    write(tmp_path, "outbound", sequence("outbound", "outro", "second"))
    (tmp_path / "manifests" / "webinar.yaml").unlink()
    full = seqops("plan", "manifests", "--format", "json")
    assert sorted(changes(full)) == [
        ("disable", "Sequence", "webinar"),
        ("update", "Sequence", "inbound"),
        ("update", "Sequence", "outbound"),
        ("update", "Template", "intro"),
    ]
    return tmp_path


def test_plan_select_plans_only_the_selection(account: Path):
    result = seqops("plan", "manifests", "--select", "Sequence/inbound", "--format", "json")
    assert result.exit_code == 0, result.output
    assert changes(result) == [("update", "Sequence", "inbound")]
    assert any("--select" in w for w in json.loads(result.stdout)["warnings"])


@pytest.mark.parametrize(
    ("patterns", "expected"),
    [
        (["Sequence/*"], {"inbound", "outbound", "webinar"}),  # the orphan is selected too
        (["Sequence/*bound"], {"inbound", "outbound"}),
        (["sequence/in*", "Template/intro"], {"inbound", "intro"}),
        (["Template/*"], {"intro"}),
    ],
)
def test_globs_and_repeats_select_by_kind_and_name(account: Path, patterns, expected):
    args = [a for p in patterns for a in ("-s", p)]
    result = seqops("plan", "manifests", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    assert {name for _, _, name in changes(result)} == expected


def test_apply_select_changes_the_selection_and_retires_nothing_else(account: Path):
    before = live(account)
    result = seqops("apply", "manifests", "--select", "Sequence/inbound", "--yes", "--no-color")
    assert result.exit_code == 0, result.output
    after = live(account)
    assert after[("Sequence", "inbound")].resource.spec.description == "second"
    assert after[("Sequence", "outbound")].resource.spec.description == "first"
    assert after[("Sequence", "webinar")].resource.spec.enabled  # not retired
    assert after[("Template", "intro")].resource.spec.subject == "Hi"
    assert after[("Template", "intro")].updated_at == before[("Template", "intro")].updated_at
    # converged for the selection; the rest is still to do, and a full apply does it
    again = seqops("plan", "manifests", "-s", "Sequence/inbound", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    rest = seqops("plan", "manifests", "--format", "json")
    assert sorted(changes(rest)) == [
        ("disable", "Sequence", "webinar"),
        ("update", "Sequence", "outbound"),
        ("update", "Template", "intro"),
    ]
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    assert seqops("plan", "manifests", "--detailed-exitcode").exit_code == 0


def test_a_selected_sequence_pulls_in_the_template_it_needs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "manifests").mkdir()
    write(tmp_path, "intro", template("intro", "Hi"))
    write(tmp_path, "other", template("other", "Other"))
    write(tmp_path, "inbound", sequence("inbound", "intro"))
    result = seqops("plan", "manifests", "-s", "Sequence/inbound", "--format", "json")
    assert result.exit_code == 0, result.output
    assert sorted(changes(result)) == [
        ("create", "Sequence", "inbound"),
        ("create", "Template", "intro"),
        ("enable", "Sequence", "inbound"),
    ]
    warnings = json.loads(result.stdout)["warnings"]
    assert any("Template/intro is created too" in w for w in warnings)
    assert seqops("apply", "manifests", "-s", "Sequence/inbound", "--yes").exit_code == 0
    assert ("Template", "other") not in live(tmp_path)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("Sequnce/inbound", "unknown kind 'Sequnce' (did you mean Sequence?)"),
        ("inbound", "expected KIND/NAME"),
        ("Sequence/nothing-*", "matches no manifest and no object seqops owns"),
    ],
)
@pytest.mark.parametrize("command", ["plan", "apply"])
def test_a_bad_selection_is_one_line_and_exit_1(account: Path, command, pattern, message):
    extra = ["--yes"] if command == "apply" else ["--detailed-exitcode"]
    result = seqops(command, "manifests", "--select", pattern, *extra)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: --select") and message in line


def test_select_is_refused_with_a_saved_plan(account: Path):
    assert seqops("plan", "manifests", "-s", "Template/*", "--out", "p.json").exit_code == 0
    result = seqops("apply", "--plan", "p.json", "-s", "Template/*", "--yes")
    assert result.exit_code == 1
    assert "--select is for planning" in result.stderr


def test_a_saved_selected_plan_applies_only_the_selection(account: Path):
    assert seqops("plan", "manifests", "-s", "Template/*", "--out", "p.json").exit_code == 0
    assert seqops("apply", "--plan", "p.json", "--yes").exit_code == 0
    after = live(account)
    assert after[("Template", "intro")].resource.spec.subject == "Hello there"
    assert after[("Sequence", "webinar")].resource.spec.enabled
    assert after[("Sequence", "inbound")].resource.spec.description == "first"
