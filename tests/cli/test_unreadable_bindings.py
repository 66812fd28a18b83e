"""A live step bound to a template the account's template list does not show (another user's
private template, say): seqops cannot read it, so it leaves the binding alone — and the plan
says so, naming the sequence, the step and the template id, instead of staying silent."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app
from seqops.config import embedded_target
from seqops.embedded import embedded_provider
from seqops.providers.outreach import mapping
from seqops.sandbox.app import create_app
from seqops.sandbox.resources import TYPES

MANIFESTS = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Quick intro, bodyHtml: <p>Hello</p>}
---
apiVersion: seqops/v1
kind: Sequence
metadata: {name: inbound}
spec:
  displayName: Inbound demo
  steps:
    - {type: call, wait: 0}
    - {type: auto_email, wait: 1d, template: intro}
"""


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def workdir(project) -> Path:
    return project(MANIFESTS)


def bind_a_template_the_list_does_not_show(workdir: Path) -> tuple[int, int]:
    """Binds a second template to the email step, then takes that template out of the
    account's listing (as a template seqops' token cannot see): (template id, binding id)."""
    db = workdir / ".seqops" / "sandbox.db"

    async def bind() -> tuple[int, int]:
        provider = embedded_provider(embedded_target(db))
        try:
            body = mapping.document("template", {"name": "Private", "subject": "Psst"})
            template = (await provider.client.post("/templates", body))["data"]["id"]
            [sequence] = (await provider.read()).of_kind("Sequence")
            step = sequence.steps[1].id
            binding = mapping.sequence_template_document(step, int(template), False)
            created = await provider.client.post("/sequenceTemplates", binding)
            return int(template), int(created["data"]["id"])
        finally:
            await provider.aclose()

    template_id, binding_id = asyncio.run(bind())
    store = create_app(str(db)).state.sandbox.store
    try:
        store.delete(TYPES["template"], [template_id])
    finally:
        store.close()
    return template_id, binding_id


def test_the_plan_names_a_binding_it_leaves_alone_and_apply_keeps_it(workdir: Path):
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    template_id, binding_id = bind_a_template_the_list_does_not_show(workdir)

    result = seqops("plan", "manifests", "--no-color", "--detailed-exitcode")
    assert result.exit_code == 0, result.output  # left alone: no change planned
    [warning] = [line for line in result.stdout.splitlines() if "left alone" in line]
    assert "Sequence/inbound" in warning and "step 2" in warning
    assert f"template id {template_id}" in warning
    assert "not a template seqops can read" in warning

    saved = json.loads(seqops("plan", "manifests", "--format", "json").stdout)
    assert any(f"template id {template_id}" in w for w in saved["warnings"])

    assert seqops("apply", "manifests", "--yes").exit_code == 0
    store = create_app(str(workdir / ".seqops" / "sandbox.db")).state.sandbox.store
    try:
        assert store.get(TYPES["sequenceTemplate"], binding_id) is not None  # still bound
    finally:
        store.close()


def test_no_such_warning_when_every_bound_template_is_listed(workdir: Path):
    assert seqops("apply", "manifests", "--yes").exit_code == 0
    result = seqops("plan", "manifests", "--no-color", "--detailed-exitcode")
    assert result.exit_code == 0
    assert "left alone" not in result.stdout
