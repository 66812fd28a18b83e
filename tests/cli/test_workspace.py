"""seqops.yaml is found upward to the repository root, and `.seqops/` beside it (DESIGN §3): run
from a subfolder, seqops plans against the same target as from the root, and says on its first
line where its configuration came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app
from seqops.workspace import Workspace

TEMPLATE = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Hi, bodyHtml: "<p>Hello. Reply stop to unsubscribe.</p>"}
"""


def seqops(*args: str):
    return CliRunner().invoke(app, [*args, "--no-color"], env={"SEQOPS_TOKEN": None})


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (`.git`) whose manifests live in `manifests/`; the test runs from there."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "manifests" / "deep").mkdir(parents=True)
    (root / "manifests" / "deep" / "template.yaml").write_text(TEMPLATE)
    monkeypatch.chdir(root / "manifests")
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    return root


def test_seqops_yaml_is_found_in_a_parent_up_to_the_repository_root(repo: Path):
    (repo / "seqops.yaml").write_text("targets: {}\n")
    found = Workspace.find(repo / "manifests" / "deep")
    assert (found.config, found.root) == (repo / "seqops.yaml", repo)
    assert found.sandbox_db.resolve() == repo / ".seqops" / "sandbox.db"


def test_the_nearest_seqops_yaml_wins(repo: Path):
    (repo / "seqops.yaml").write_text("targets: {}\n")
    (repo / "manifests" / "seqops.yaml").write_text("targets: {}\n")
    assert Workspace.find(repo / "manifests" / "deep").config == repo / "manifests" / "seqops.yaml"


def test_the_search_stops_at_the_repository_root(repo: Path):
    """A seqops.yaml above the repository belongs to something else."""
    (repo.parent / "seqops.yaml").write_text("targets: {}\n")
    found = Workspace.find(repo / "manifests")
    assert found.config is None
    assert found.sandbox_db.resolve() == repo / ".seqops" / "sandbox.db"


def test_a_git_file_marks_a_root_too(tmp_path: Path):
    """A worktree or submodule has a `.git` file, not a directory."""
    (tmp_path / "wt" / "sub").mkdir(parents=True)
    (tmp_path / "wt" / ".git").write_text("gitdir: /elsewhere\n")
    (tmp_path / "seqops.yaml").write_text("targets: {}\n")
    found = Workspace.find(tmp_path / "wt" / "sub")
    assert (found.config, found.root) == (None, tmp_path / "wt")


def test_outside_a_repository_only_the_current_directory_counts(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "seqops.yaml").write_text("targets: {}\n")
    assert Workspace.find(tmp_path / "sub").config is None
    assert Workspace.find(tmp_path).config == tmp_path / "seqops.yaml"


def test_from_a_subfolder_the_embedded_sandbox_is_the_repository_s(
    repo: Path, monkeypatch: pytest.MonkeyPatch
):
    applied = seqops("apply", ".", "--yes")
    assert applied.exit_code == 0, applied.output
    assert (repo / ".seqops" / "sandbox.db").is_file()
    assert not (repo / "manifests" / ".seqops").exists()
    first = applied.stdout.splitlines()[0]
    assert first.startswith("Target: embedded sandbox (../.seqops/sandbox.db)")
    assert first.endswith("(no seqops.yaml found up to the repository root ..)")
    monkeypatch.chdir(repo)  # from the root, the same sandbox: nothing left to do
    again = seqops("plan", "manifests", "--detailed-exitcode")
    assert again.exit_code == 0, again.output


def test_from_a_subfolder_the_repository_s_target_is_planned(
    repo: Path, serve, monkeypatch: pytest.MonkeyPatch
):
    sandbox = serve()
    served = sandbox.url
    (repo / "seqops.yaml").write_text(
        f"default: staging\ntargets:\n  staging:\n    url: {served}\n    token: env:STAGING\n"
    )
    monkeypatch.setenv("STAGING", sandbox.token)
    planned = seqops("plan", ".", "--detailed-exitcode")
    assert planned.exit_code == 2, planned.output
    assert planned.stdout.splitlines()[0] == (
        f"Target: staging (outreach {served}) (from ../seqops.yaml)"
    )
    applied = seqops("apply", "deep", "--yes")
    assert applied.exit_code == 0, applied.output
    assert not (repo / ".seqops").exists() and not (repo / "manifests" / ".seqops").exists()
    monkeypatch.chdir(repo)
    assert seqops("plan", "manifests", "--detailed-exitcode").exit_code == 0


def test_validate_and_lint_check_the_seqops_yaml_found_upward(repo: Path):
    (repo / "seqops.yaml").write_text("default: nope\ntargets: {}\n")
    validated = seqops("validate", ".")
    assert validated.exit_code == 1
    assert "../seqops.yaml:1:10:" in validated.stdout
    (repo / "seqops.yaml").write_text("lint: {rules: {no-such-rule: off}}\n")
    linted = seqops("lint", ".")
    assert linted.exit_code == 1 and "../seqops.yaml" in linted.stderr
