"""The published schemas of the JSON plan and the apply report: valid Draft 2020-12, named by
their format_version, met by what the CLI writes (stdout, --out, --report), strict enough to
reject a wrong document, and the docs' one-line `jq` answers "does this plan disrupt anyone"."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.apply.report import FORMAT_VERSION as REPORT_VERSION
from seqops.cli import app
from seqops.plan.plan import FORMAT_VERSION as PLAN_VERSION
from tests.documents import SCHEMAS, problems, validator

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Quick intro, bodyHtml: "<p>Hi {{first_name}}</p>"}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: outbound}
spec:
  enabled: true
  steps: [{type: auto_email, wait: 0, template: intro}, {type: call, wait: 2d}]
"""
JQ = """jq -e '.requires | index("--allow-disruption")' plan.json"""


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize(("name", "version"), [("plan", PLAN_VERSION), ("report", REPORT_VERSION)])
def test_each_schema_is_draft_2020_12_and_named_by_its_format_version(name, version):
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{name}/format-{version}")
    assert schema["properties"]["format_version"] == {"const": version}
    validator(name)  # checks the schema itself


def test_wrong_documents_are_rejected():
    good = {
        "format_version": 1,
        "changes": [],
        "totals": {"done": 0, "failed": 0, "not attempted": 0, "total": 0},
        "ok": True,
        "error": None,
    }
    assert problems("report", good) == []
    assert problems("report", {**good, "format_version": 2})
    bad_change = {"action": "create", "kind": "Template", "name": "t", "id": None}
    bad_change |= {"status": "finished", "error": None, "duration": 0.1}
    assert problems("report", {**good, "changes": [bad_change]})
    assert problems("plan", {"format_version": 1, "target": "t"})  # most fields missing


def test_what_the_cli_writes_meets_the_schemas_and_the_docs_jq_line_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "a.yaml").write_text(ACCOUNT)
    assert seqops("apply", "m", "--yes", "--report", "report.json").exit_code == 0
    assert problems("report", json.loads(Path("report.json").read_text())) == []
    assert seqops("sandbox", "enroll", "outbound", "--prospects", "2").exit_code == 0
    (tmp_path / "m" / "a.yaml").write_text(ACCOUNT.replace("wait: 2d", "wait: 3d"))
    planned = seqops("plan", "m", "--format", "json", "--out", "plan.json")
    assert problems("plan", json.loads(planned.stdout)) == []
    document = json.loads(Path("plan.json").read_text())
    assert problems("plan", document) == [] and document["requires"] == ["--allow-disruption"]
    refused = seqops("apply", "--plan", "plan.json", "--report", "refused.json")
    assert refused.exit_code == 1
    assert problems("report", json.loads(Path("refused.json").read_text())) == []
    if shutil.which("jq") is None:
        pytest.skip("jq is not installed: the docs' line was checked as far as the schema")
    assert subprocess.run(JQ, shell=True, capture_output=True).returncode == 0  # disrupts
    Path("plan.json").write_text(json.dumps({**document, "requires": []}))
    assert subprocess.run(JQ, shell=True, capture_output=True).returncode == 1  # does not


def test_the_docs_show_the_jq_line():
    assert JQ in (ROOT / "docs" / "review.md").read_text()
