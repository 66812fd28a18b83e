""".pre-commit-hooks.yaml: well-formed, and its hooks run `seqops validate` as pre-commit would."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from .workflows import BIN, ROOT, required_in_ci

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
# The keys pre-commit's manifest schema knows (pre_commit.clientlib.MANIFEST_HOOK_DICT).
KNOWN_KEYS = {
    "id", "name", "entry", "language", "alias", "files", "exclude", "types", "types_or",
    "exclude_types", "additional_dependencies", "args", "always_run", "fail_fast",
    "pass_filenames", "description", "language_version", "log_file", "minimum_pre_commit_version",
    "require_serial", "stages", "verbose",
}  # fmt: skip


def hooks() -> dict[str, dict]:
    return {h["id"]: h for h in YAML(typ="safe").load(HOOKS_FILE.read_text())}


def test_the_hooks_file_is_well_formed():
    found = hooks()
    assert set(found) == {"seqops-validate", "seqops-validate-files", "seqops-lint"}
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    for hook in found.values():
        assert {"id", "name", "entry", "language"} <= set(hook) <= KNOWN_KEYS
        command = {
            "seqops-lint": "seqops lint",
            "seqops-validate": "seqops validate",
            "seqops-validate-files": "seqops validate --context .",
        }[hook["id"]]
        assert hook["language"] == "python" and hook["entry"] == command
        assert shlex.split(hook["entry"])[0] in scripts
        for key in ("files", "exclude"):
            if key in hook:
                re.compile(hook[key])
    assert found["seqops-validate"]["pass_filenames"] is False
    assert found["seqops-validate-files"]["pass_filenames"] is True
    assert found["seqops-lint"]["pass_filenames"] is False  # rules look across files


def test_pre_commit_itself_accepts_the_hooks_file():
    try:
        from pre_commit import clientlib
    except ImportError:
        required_in_ci("pre-commit is not installed (the test extra installs it)")
    assert {h["id"] for h in clientlib.load_manifest(str(HOOKS_FILE))} == set(hooks())


TEMPLATE = "apiVersion: seqops/v1\nkind: Template\nmetadata: {name: intro}\nspec: {subject: Hi}\n"
SEQUENCE = """\
apiVersion: seqops/v1
kind: Sequence
metadata: {name: inbound}
spec:
  steps:
    - {type: auto_email, wait: 0, template: intro}
"""
OTHER_YAML = {
    ".github/workflows/ci.yml": "on: push\njobs: {}\n",
    ".pre-commit-config.yaml": "repos: []\n",
    "seqops.yaml": "targets: {}\n",
    "docs/mkdocs.yml": "site_name: docs\n",
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    files = {"manifests/templates.yaml": TEMPLATE, "manifests/sequences.yaml": SEQUENCE}
    for name, text in {**files, **OTHER_YAML, "README.md": "# hi\n"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def run_hook(hook_id: str, repo: Path, args: list[str], staged: list[str]):
    """What pre-commit runs: the entry, the hook's args, then the staged files that match
    `files` and not `exclude` (when the hook takes file names)."""
    hook = hooks()[hook_id]
    files = [
        f
        for f in staged
        if re.search(hook["files"], f) and not re.search(hook.get("exclude", "^$"), f)
    ]
    names = files if hook["pass_filenames"] else []
    command = [*shlex.split(hook["entry"]), *args, *names]
    command[0] = str(BIN / command[0])
    return subprocess.run(command, cwd=repo, capture_output=True, text=True), files


def test_the_tree_hook_validates_the_whole_tree_so_references_across_files_resolve(repo: Path):
    result, _ = run_hook("seqops-validate", repo, [], ["manifests/sequences.yaml"])
    assert result.returncode == 0, result.stdout
    (repo / "manifests" / "templates.yaml").write_text(TEMPLATE.replace("intro", "intro2"))
    result, _ = run_hook("seqops-validate", repo, ["manifests"], ["manifests/templates.yaml"])
    assert result.returncode == 1
    assert (
        "manifests/sequences.yaml:6:" in result.stdout
        and "no Template named 'intro'" in result.stdout
    )


def test_the_files_hook_passes_the_changed_manifests_and_skips_other_yaml(repo: Path):
    staged = ["manifests/templates.yaml", "manifests/sequences.yaml", "README.md", *OTHER_YAML]
    result, passed = run_hook("seqops-validate-files", repo, [], staged)
    assert passed == ["manifests/templates.yaml", "manifests/sequences.yaml", "docs/mkdocs.yml"]
    assert result.returncode == 0, result.stdout  # mkdocs.yml is no manifest: a note, skipped
    assert "docs/mkdocs.yml:1:1: note: not a seqops manifest, skipped" in result.stdout
    assert ".github/workflows" not in result.stdout  # the context's notes are not reported
    result, _ = run_hook("seqops-validate-files", repo, [], staged[:2])
    assert result.returncode == 0, result.stdout
    (repo / "manifests" / "sequences.yaml").write_text(SEQUENCE.replace("wait: 0", "wait: soon"))
    result, _ = run_hook("seqops-validate-files", repo, [], staged[:2])
    assert result.returncode == 1 and "manifests/sequences.yaml:6:" in result.stdout


KUBERNETES = {
    "k8s/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {a: b}\n",
    "k8s/all.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {replicas: 1}\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: app}\n"
    ),
    "k8s/list.yaml": "- apiVersion: v1\n  kind: Namespace\n",
}


def pre_commit_run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """The real `pre-commit run` in a git repository whose config declares this repository's
    hooks as they are (ids, files, exclude, pass_filenames), run with this virtualenv's seqops
    (`language: system`: pre-commit would otherwise build an environment from the network)."""
    local = []
    for hook in hooks().values():
        entry = hook["entry"].replace("seqops", str(BIN / "seqops"), 1)
        local.append({**hook, "language": "system", "entry": entry})
    config = {"repos": [{"repo": "local", "hooks": local}]}
    (repo / ".pre-commit-config.yaml").write_text(json.dumps(config))
    git = ["git", "-c", "user.email=t@example.test", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    environment = {**os.environ, "PRE_COMMIT_HOME": str(repo / ".cache"), "NO_COLOR": "1"}
    return subprocess.run(
        [BIN / "pre-commit", "run", "--color", "never", *args],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_real_pre_commit_passes_on_a_repository_that_also_holds_kubernetes_yaml(repo: Path):
    """The default hook: the whole tree, Kubernetes YAML skipped with a note."""
    hook_id = "seqops-validate"
    if not (BIN / "pre-commit").exists():
        required_in_ci("pre-commit is not installed (the test extra installs it)")
    for name, text in KUBERNETES.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    result = pre_commit_run(repo, hook_id, "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
    (repo / "manifests" / "sequences.yaml").write_text(SEQUENCE.replace("wait: 0", "wait: soon"))
    failed = pre_commit_run(repo, hook_id, "--all-files")
    assert failed.returncode == 1 and "Failed" in failed.stdout
    assert "manifests/sequences.yaml:6:" in failed.stdout


@pytest.mark.parametrize(
    "staged",
    [
        ["manifests/sequences.yaml"],  # its template is in another, unchanged file
        list(KUBERNETES),  # no manifest at all
    ],
)
def test_real_pre_commit_on_a_partial_commit_passes_when_the_repository_is_valid(
    repo: Path, staged: list[str]
):
    """The files hook by default: a commit of only sequences, or only Kubernetes files."""
    if not (BIN / "pre-commit").exists():
        required_in_ci("pre-commit is not installed (the test extra installs it)")
    for name, text in KUBERNETES.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    result = pre_commit_run(repo, "seqops-validate-files", "--files", *staged)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_real_pre_commit_on_a_partial_commit_reports_the_changed_file_s_errors(repo: Path):
    if not (BIN / "pre-commit").exists():
        required_in_ci("pre-commit is not installed (the test extra installs it)")
    (repo / "manifests" / "sequences.yaml").write_text(SEQUENCE.replace("intro", "intor"))
    (repo / "manifests" / "other.yaml").write_text(
        TEMPLATE.replace("Hi}", "5}").replace("intro", "x")
    )
    failed = pre_commit_run(repo, "seqops-validate-files", "--files", "manifests/sequences.yaml")
    assert failed.returncode == 1 and "Failed" in failed.stdout
    assert "no Template named 'intor' (did you mean 'intro'?)" in failed.stdout
    assert "other.yaml" not in failed.stdout  # not this commit's file
