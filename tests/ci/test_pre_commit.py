""".pre-commit-hooks.yaml: well-formed, and its hooks run `seqops validate` as pre-commit would."""

from __future__ import annotations

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
        command = "seqops lint" if hook["id"] == "seqops-lint" else "seqops validate"
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
    assert result.returncode == 1  # mkdocs.yml is no manifest: narrow `files` to your manifests
    assert "docs/mkdocs.yml:1:1:" in result.stdout and "manifests/" not in result.stdout
    result, _ = run_hook("seqops-validate-files", repo, [], staged[:2])
    assert result.returncode == 0, result.stdout
    (repo / "manifests" / "sequences.yaml").write_text(SEQUENCE.replace("wait: 0", "wait: soon"))
    result, _ = run_hook("seqops-validate-files", repo, [], staged[:2])
    assert result.returncode == 1 and "manifests/sequences.yaml:6:" in result.stdout
