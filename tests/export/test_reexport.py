"""`seqops export --out DIR` into a directory of hand-written manifests, through the real CLI
against a sandbox served on 127.0.0.1 and a seqops.yaml target with overrides: it refuses to
touch manifests that differ from the account unless `--update`, which rewrites only the fields
that differ (comments, labels, key order, layout and the other files kept), puts new objects in
new files, never defines an object twice and never bakes an override into a base manifest."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from seqops.cli import app as cli

from .test_cli_export import served

__all__ = ["served"]  # the fixture, imported for these tests

ACCOUNT = """\
# Our account, written by hand.
apiVersion: seqops/v1
kind: Template
metadata:
  name: intro       # the first touch
  labels: {team: sdr}
spec:
  subject: Quick intro
  bodyHtml: <p>Hi</p>
---
apiVersion: seqops/v1
kind: Template
metadata: {name: intro-b}
spec: {subject: Other intro, bodyHtml: <p>Hey</p>}
---
apiVersion: seqops/v1
kind: Ruleset
metadata: {name: default-ruleset}
spec: {displayName: Default ruleset}   # every account has one
"""

SDR = """\
apiVersion: seqops/v1
kind: Sequence
metadata:
  name: inbound
  labels:
    team: sdr
spec:
  # the name prospects never see
  displayName: Inbound
  owner: sandy.box@example.com
  steps:
  - type: auto_email   # day one
    wait: 0
    template: intro
  - type: call
    wait: 48h
"""

CONFIG = """\
targets:
  staging:
    url: {url}
    token: env:SEQOPS_TOKEN
    overrides:
      - kind: Sequence
        labels: {{team: sdr}}
        spec: {{owner: riley.rep@example.com, description: staging copy}}
"""


@pytest.fixture
def workdir(served, tmp_path, monkeypatch) -> tuple[str, Path]:
    """(sandbox URL, manifests dir) with the hand-written manifests applied on `staging`."""
    _, url = served
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seqops.yaml").write_text(CONFIG.format(url=url))
    manifests = tmp_path / "manifests"
    (manifests / "by-team").mkdir(parents=True)
    (manifests / "account.yaml").write_text(ACCOUNT)
    (manifests / "by-team/sdr.yaml").write_text(SDR)
    seqops("apply", "manifests", "-t", "staging", "--yes")
    return url, manifests


def seqops(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, [*args, "--no-color"])
    assert result.exit_code == code, result.output
    return result.output


def export(*args: str, code: int = 0) -> str:
    return seqops("export", "-t", "staging", "--out", "manifests", *args, code=code)


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*.y*ml")}


def api(url: str) -> httpx.Client:
    headers = {"Authorization": "Bearer sandbox-token", "Content-Type": "application/vnd.api+json"}
    return httpx.Client(base_url=url, headers=headers)


def find(client: httpx.Client, path: str, name: str) -> int:
    return int(client.get(f"/{path}", params={"filter[name]": name}).json()["data"][0]["id"])


def edit_account(url: str) -> None:
    """What a user does in Outreach: a new subject, an A/B variant, a new template."""
    with api(url) as client:
        intro, intro_b = (
            find(client, "templates", "intro"),
            find(client, "templates", "intro-b"),
        )
        body = {"data": {"type": "template", "id": intro, "attributes": {"subject": "New intro"}}}
        assert client.patch(f"/templates/{intro}", json=body).status_code == 200
        sequence = find(client, "sequences", "Inbound")
        steps = client.get("/sequenceSteps", params={"filter[sequence][id]": sequence}).json()
        first = min(steps["data"], key=lambda s: s["attributes"]["order"])["id"]
        rels = {
            "sequenceStep": {"data": {"type": "sequenceStep", "id": int(first)}},
            "template": {"data": {"type": "template", "id": intro_b}},
        }
        body = {"data": {"type": "sequenceTemplate", "attributes": {}, "relationships": rels}}
        assert client.post("/sequenceTemplates", json=body).status_code == 201
        body = {"data": {"type": "template", "attributes": {"name": "Fresh", "subject": "F"}}}
        assert client.post("/templates", json=body).status_code == 201


def test_an_unchanged_account_exports_into_its_manifests_without_a_byte_changed(workdir):
    _, manifests = workdir
    before = snapshot(manifests)
    output = export()
    assert "0 new, 0 updated, 2 unchanged" in output
    assert "no longer in the account" not in output and "describes nothing" not in output
    assert snapshot(manifests) == before  # the staging overrides are not baked in


def test_differences_are_refused_without_update_naming_the_manifest(workdir):
    url, manifests = workdir
    before = snapshot(manifests)
    edit_account(url)
    output = export(code=1)
    assert "account.yaml (Template/intro)" in output and "--update" in output
    assert "Traceback" not in output
    assert snapshot(manifests) == before


def test_update_rewrites_only_what_differs_and_adds_new_objects_once(workdir):
    url, manifests = workdir
    edit_account(url)
    output = export("--update")
    assert "1 new, 2 updated, 0 unchanged" in output, output
    assert (manifests / "account.yaml").read_text() == ACCOUNT.replace(
        "subject: Quick intro", "subject: New intro"
    )
    assert (manifests / "by-team/sdr.yaml").read_text() == SDR.replace(
        "    template: intro\n", "    templates:\n    - intro\n    - intro-b\n"
    )
    assert sorted(snapshot(manifests)) == [
        "account.yaml",
        "by-team/sdr.yaml",
        "templates/fresh.yaml",
    ]
    assert seqops("validate", "manifests").rstrip().endswith("valid")  # nothing defined twice

    again = snapshot(manifests)
    assert "0 new, 0 updated, 3 unchanged" in export("--update")
    assert snapshot(manifests) == again

    planned = json.loads(seqops("plan", "manifests", "-t", "staging", "--format", "json"))
    assert [(c["action"], c["name"], c["diff"]) for c in planned["changes"]] == [
        ("adopt", "fresh", [])
    ]
    seqops("apply", "manifests", "-t", "staging", "--yes")
    seqops("plan", "manifests", "-t", "staging", "--detailed-exitcode")


def test_a_new_object_never_takes_the_name_of_a_manifest_of_nothing_live(workdir):
    url, manifests = workdir
    (manifests / "planned.yaml").write_text(
        "apiVersion: seqops/v1\nkind: Template\nmetadata: {name: fresh}\n"
        "spec: {displayName: Not applied yet, subject: S, bodyHtml: <p>b</p>}\n"
    )
    edit_account(url)  # adds a live template `Fresh`, which export would name `fresh`
    output = export("--update")
    assert "planned.yaml (Template/fresh) describes nothing in the account" in output
    new = [p for p in snapshot(manifests) if p.startswith("templates/")]
    assert len(new) == 1 and new[0].startswith("templates/fresh-"), new
    assert seqops("validate", "manifests").rstrip().endswith("valid")


def test_fields_a_manifest_leaves_out_stay_out(workdir):
    """The account fills in an owner and the defaults; the manifest does not manage them."""
    _, manifests = workdir
    (manifests / "outbound.yaml").write_text(
        "---\napiVersion: seqops/v1\nkind: Sequence\nmetadata: {name: outbound}\n"
        "spec:\n  steps:\n    - {type: call}   # no wait: 0\n"
    )
    seqops("apply", "manifests", "-t", "staging", "--yes")
    before = snapshot(manifests)
    assert "0 new, 0 updated, 3 unchanged" in export()
    assert snapshot(manifests) == before
