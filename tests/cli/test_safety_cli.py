"""Safety through the real CLI and the embedded sandbox: impact through templates, the stop
threshold against a wrong path or `state: absent` everywhere, and the plan's `requires`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app
from seqops.config import embedded_target
from seqops.embedded import embedded_provider

RULESET = """\
apiVersion: seqops/v1
kind: Ruleset
metadata: {name: default-rules}
spec: {displayName: Default rules, permitDuplicateProspects: disallow}
"""
TEMPLATE = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Quick intro, bodyHtml: <p>Hello</p>}
"""
SEQUENCE = """\
apiVersion: seqops/v1
kind: Sequence
metadata: {name: seq-NN}
spec:
  displayName: Sequence NN
  enabled: true
  ruleset: default-rules
  steps:
    - {type: auto_email, wait: 0, template: intro}
    - {type: call, wait: 2d}
"""


@pytest.fixture
def workdir(project) -> Path:
    """manifests/{rulesets,templates,sequences}/ with 12 enabled sequences, no seqops.yaml."""
    home = project()
    root = home / "manifests"
    for folder, text in (("rulesets", RULESET), ("templates", TEMPLATE)):
        (root / folder).mkdir()
        (root / folder / f"{folder}.yaml").write_text(text)
    (root / "sequences").mkdir()
    for i in range(12):
        (root / "sequences" / f"seq-{i:02}.yaml").write_text(SEQUENCE.replace("NN", f"{i:02}"))
    return home


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


async def _with_sandbox(workdir: Path, action):
    provider = embedded_provider(embedded_target(workdir / ".seqops" / "sandbox.db"))
    try:
        return await action(provider)
    finally:
        await provider.aclose()


def live_state(workdir: Path):
    return asyncio.run(_with_sandbox(workdir, lambda p: p.read()))


def enroll(workdir: Path, name: str, n: int, state: str = "active") -> None:
    from seqops.sandbox.app import create_app

    live = live_state(workdir).owned("Sequence", name)
    sandbox = create_app(db=str(workdir / ".seqops" / "sandbox.db")).state.sandbox
    try:
        sandbox.enroll(live.id, n=n, state=state)
    finally:
        sandbox.close()


def enabled_sequences(workdir: Path) -> int:
    return sum(bool(s.resource.spec.enabled) for s in live_state(workdir).of_kind("Sequence"))


def converged(workdir: Path, *paths: str) -> bool:
    return seqops("plan", *(paths or ("manifests",)), "--detailed-exitcode").exit_code == 0


def test_a_subfolder_given_by_mistake_is_refused_naming_rule_numbers_and_cause(workdir: Path):
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    result = seqops("apply", "manifests/rulesets", "--yes", "--no-color")
    assert result.exit_code == 1
    assert "stops-everything rule: 12 of 12 enabled owned sequences" in result.output
    assert "no Sequence manifest was given (only 1 Ruleset)" in result.output
    assert "--force" in result.output and "Traceback" not in result.output
    assert enabled_sequences(workdir) == 12  # nothing was written
    assert converged(workdir)


def test_marking_every_sequence_absent_needs_force(workdir: Path):
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    for path in (workdir / "manifests" / "sequences").iterdir():
        path.write_text(path.read_text() + "state: absent\n")
    refused = seqops("apply", "manifests", "--yes", "--no-color")
    assert refused.exit_code == 1
    assert "12 of 12 enabled owned sequences" in refused.output
    assert "mark these sequences `state: absent`" in refused.output
    assert enabled_sequences(workdir) == 12
    assert seqops("apply", "manifests", "--yes", "--force").exit_code == 0
    assert enabled_sequences(workdir) == 0
    assert converged(workdir)


def test_stopping_a_few_of_many_sequences_needs_no_flag(workdir: Path):
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    for i in range(3):  # 3 of 12 = 25 %, under the 30 % threshold
        (workdir / "manifests" / "sequences" / f"seq-{i:02}.yaml").unlink()
    result = seqops("apply", "manifests", "--yes")
    assert result.exit_code == 0, result.output
    assert enabled_sequences(workdir) == 9
    assert converged(workdir)


def test_template_change_reaching_an_active_prospect_needs_allow_disruption(workdir: Path):
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    enroll(workdir, "seq-03", 1)
    templates = workdir / "manifests" / "templates" / "templates.yaml"
    templates.write_text(TEMPLATE.replace("Quick intro", "A new subject"))

    planned = seqops("plan", "manifests", "--format", "json")
    assert planned.exit_code == 0, planned.output
    document = json.loads(planned.stdout)
    [change] = document["changes"]
    assert (change["kind"], change["action"]) == ("Template", "update")
    assert change["impact"]["active"] >= 1
    assert [s["name"] for s in change["impact"]["sequences"]] == ["Sequence 03"]
    assert change["requires"] == ["--allow-disruption"]
    assert document["requires"] == ["--allow-disruption"]
    # a plan refuses nothing: it says what apply will need, and why
    assert "note: apply will need --allow-disruption because" in planned.stderr
    assert "refused" not in planned.stderr

    refused = seqops("apply", "manifests", "--yes", "--no-color")
    assert refused.exit_code == 1
    assert "disruption rule" in refused.output and "Template/intro" in refused.output
    assert "via 'Sequence 03'" in refused.output
    live = live_state(workdir).owned("Template", "intro")
    assert live.resource.spec.subject == "Quick intro"

    allowed = seqops("apply", "manifests", "--yes", "--allow-disruption", "--no-color")
    assert allowed.exit_code == 0, allowed.output
    assert "apply will need" not in allowed.output  # the flag was given
    assert converged(workdir)


def test_requires_is_empty_sorted_and_in_the_checksum(workdir: Path):
    planned = json.loads(seqops("plan", "manifests", "--format", "json").stdout)
    assert planned["requires"] == [] and all(c["requires"] == [] for c in planned["changes"])
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    enroll(workdir, "seq-00", 2)
    for i in range(1, 12):
        (workdir / "manifests" / "sequences" / f"seq-{i:02}.yaml").unlink()
    edited = workdir / "manifests" / "sequences" / "seq-00.yaml"
    edited.write_text(edited.read_text().replace("wait: 2d", "wait: 3d"))
    assert seqops("plan", "manifests", "--out", "plan.json").exit_code == 0
    saved = json.loads((workdir / "plan.json").read_text())
    assert saved["requires"] == ["--allow-disruption", "--force"]
    tampered = {**saved, "requires": []}
    (workdir / "tampered.json").write_text(json.dumps(tampered))
    rejected = seqops("apply", "--plan", "tampered.json", "--yes")
    assert rejected.exit_code == 1 and "checksum" in rejected.output


def test_text_plan_names_the_flags_once(workdir: Path):
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    enroll(workdir, "seq-00", 1)
    (workdir / "manifests" / "templates" / "templates.yaml").write_text(
        TEMPLATE.replace("Quick intro", "Changed")
    )
    for i in range(4, 12):
        (workdir / "manifests" / "sequences" / f"seq-{i:02}.yaml").unlink()
    text = seqops("plan", "manifests", "--no-color").stdout
    assert text.count("apply will need") == 1
    assert "apply will need --allow-disruption --force:" in text
    markdown = seqops("plan", "manifests", "--format", "markdown").stdout
    assert markdown.count("apply will need") == 1
