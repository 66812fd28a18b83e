"""`seqops lint --target T`: merge fields empty for too many of the target's prospects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app
from tests.preview.test_preview import add_prospects

from .conftest import RULESET

MANIFESTS = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec:
  subject: Quick question
  bodyHtml: "<p>Hi {{first_name}} at {{company}}</p>"
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: cold}
spec:
  ruleset: rs
  steps:
    - {type: auto_email, wait: 0, template: intro}
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    (tmp_path / "account.yaml").write_text(MANIFESTS + RULESET)
    return tmp_path


def lint(*args: str):
    return CliRunner().invoke(app, ["lint", "account.yaml", *args])


def test_a_field_empty_for_many_prospects_is_reported_with_the_target(workdir):
    add_prospects(workdir, [{"firstName": "", "company": "Acme"}] * 10)  # 10 of 34 lack it
    offline = lint()
    assert offline.exit_code == 0 and "often-empty" not in offline.output
    result = lint("--target", "sandbox")
    assert result.exit_code == 0, result.output  # a warning
    found = re.search(
        r"^account.yaml:6:20: merge-field/often-empty warning: \{\{first_name\}\} is empty for "
        r"(\d+) of (\d+) prospects of the target$",
        result.output,
        re.MULTILINE,
    )
    assert found, result.output
    empty, total = map(int, found.groups())
    assert empty >= 10 and total >= 10 + 20  # ours, and the sandbox's own 20 or more
    assert "{{company}}" not in result.output  # everyone has one


def test_the_threshold_is_configurable(workdir):
    add_prospects(workdir, [{"firstName": "", "company": "Acme"}] * 10)
    (workdir / "seqops.yaml").write_text(
        "lint:\n  rules:\n    merge-field/often-empty: {threshold: 0.5}\n"
    )
    assert "often-empty" not in lint("--target", "sandbox").output
