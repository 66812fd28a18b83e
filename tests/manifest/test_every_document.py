"""Validation reads every document of a file: a bad first document neither hides the errors of
the later ones nor drops the good ones between them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from seqops.cli import app

THREE_DOCUMENTS = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: one}
spec: {subject: 5, bodyHtml: <p>x</p>}
---
apiVersion: seqops/v1
kind: Template
metadata: {name: two}
spec: {subject: Fine, bodyHtml: <p>x</p>}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: three}
spec:
  steps:
    - {type: call, wait: soon}
"""


def test_every_bad_document_of_a_file_is_reported_with_its_line(tmp_path: Path):
    (tmp_path / "all.yaml").write_text(THREE_DOCUMENTS)
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "all.yaml"), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    located = [(e["line"], e["kind"], e["name"], e["path"]) for e in report["errors"]]
    assert located == [
        (4, "Template", "one", "spec.subject"),
        (16, "Sequence", "three", "spec.steps[1].wait"),
    ]
    assert report["resources"] == 1  # `two`, between them, was read and is valid
