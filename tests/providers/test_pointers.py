"""A 422's `source.pointer` reaches the user where the refused value is written: the API's
attribute names mapped back to the manifest's, shown as `FILE:LINE:COL` by apply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app as cli
from seqops.providers.outreach.pointers import manifest_path
from seqops.sandbox import create_app
from seqops.sandbox.hostile import running

MANIFEST = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Hi, bodyHtml: <p>Hi</p>}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: inbound}
spec:
  displayName: Inbound demo
  description: Inbound, then a call
  steps:
    - type: auto_email
      wait: 0
      template: intro
    - type: call
      wait: 2d
"""


@pytest.mark.parametrize(
    ("pointer", "kind", "step", "path"),
    [
        ("/data/attributes/name", "Sequence", None, ("spec", "displayName")),
        (
            "/data/attributes/secondaryReplyAction",
            "Sequence",
            None,
            ("spec", "secondaryReplyAction"),
        ),
        ("/data/relationships/ruleset/data/id", "Sequence", None, ("spec", "ruleset")),
        ("/data/relationships/bouncedStage", "Ruleset", None, ("spec", "bouncedStage")),
        ("/data/attributes/bodyHtml", "Template", None, ("spec", "bodyHtml")),
        ("/data/attributes/interval", "Sequence", 2, ("spec", "steps", 1, "wait")),
        ("/data/attributes/taskNote", "Sequence", 1, ("spec", "steps", 0, "note")),
        ("/data/relationships/template", "Sequence", 3, ("spec", "steps", 2, "template")),
        ("/data/attributes/automationPercentage", "Sequence", None, None),  # nothing to point at
        ("/data", "Sequence", None, None),
        ("", "Template", None, None),
    ],
)
def test_pointers_name_the_manifest_field(pointer, kind, step, path):
    assert manifest_path(pointer, kind, step) == path


class Refusing:
    """The sandbox, except that one POST answers a 422 pointing at one attribute."""

    def __init__(self, app, path: str, pointer: str, detail: str) -> None:
        self.app, self.path, self.pointer, self.detail = app, path, pointer, detail

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and (scope["method"], scope["path"]) == ("POST", self.path):
            error = {"id": "validationError", "title": "Validation Error", "detail": self.detail,
                     "source": {"pointer": self.pointer}}  # fmt: skip
            body = json.dumps({"errors": [error]}).encode()
            head = [(b"content-type", b"application/vnd.api+json")]
            await send({"type": "http.response.start", "status": 422, "headers": head})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


@pytest.mark.parametrize(
    ("path", "pointer", "detail", "where"),
    [
        ("/api/v2/sequences", "/data/attributes/name", "name is taken", "m.yaml:10:16"),
        ("/api/v2/sequenceSteps", "/data/attributes/interval", "too soon", "m.yaml:14:13"),
    ],
)
def test_apply_shows_a_422_where_the_refused_value_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path, pointer, detail, where
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SEQOPS_TOKEN", "sandbox-token")
    (tmp_path / "m.yaml").write_text(MANIFEST)
    app = create_app()
    with running(Refusing(app, path, pointer, detail)) as base:
        result = CliRunner().invoke(
            cli, ["apply", "m.yaml", "--yes", "--target", f"{base}/api/v2", "--no-color"]
        )
    assert result.exit_code == 1, result.output
    located = [line for line in result.stderr.splitlines() if line.startswith("m.yaml:")]
    assert len(located) == 1, result.stderr
    assert located[0].startswith(f"{where}: Sequence/inbound: ")
    assert f"422 Validation Error: {detail}" in located[0]
