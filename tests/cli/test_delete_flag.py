"""`--allow-delete` is needed at apply too: a saved plan that deletes is refused by an apply
that was not given the flag, naming it, and nothing is written."""

from __future__ import annotations

from pathlib import Path

from test_safety_cli import live_state, seqops, workdir  # noqa: F401  (workdir is a fixture)


def test_a_saved_plan_that_deletes_needs_allow_delete_at_apply(workdir: Path):  # noqa: F811
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    (workdir / "manifests" / "sequences" / "seq-05.yaml").unlink()
    planned = seqops("plan", "manifests", "--allow-delete", "--out", "plan.json")
    assert planned.exit_code == 0, planned.output

    refused = seqops("apply", "--plan", "plan.json", "--yes", "--no-color")
    assert refused.exit_code == 1
    assert "deletes Sequence/seq-05" in refused.output and "--allow-delete" in refused.output
    assert live_state(workdir).owned("Sequence", "seq-05") is not None

    allowed = seqops("apply", "--plan", "plan.json", "--yes", "--allow-delete", "--no-color")
    assert allowed.exit_code == 0, allowed.output
    assert live_state(workdir).owned("Sequence", "seq-05") is None
    assert seqops("plan", "manifests", "--detailed-exitcode").exit_code == 0


def test_without_allow_delete_a_removed_manifest_is_disabled_not_deleted(workdir: Path):  # noqa: F811
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    (workdir / "manifests" / "sequences" / "seq-05.yaml").unlink()
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    kept = live_state(workdir).owned("Sequence", "seq-05")
    assert kept is not None and not kept.resource.spec.enabled
