"""The provider's side of races: a read exposes every template binding of a step, a create
settles against an older twin under injected faults, and rebinding removes extra bindings."""

from __future__ import annotations

import pytest

from seqops.manifest.models import manifest_adapter
from seqops.providers.base import Ids
from seqops.providers.outreach import mapping
from seqops.sandbox import seed
from seqops.sandbox.resources import TYPES
from seqops.sandbox.rules import Context

pytestmark = pytest.mark.anyio


def template(name: str):
    return manifest_adapter.validate_python(
        {
            "apiVersion": "seqops/v1",
            "kind": "Template",
            "metadata": {"name": name},
            "spec": {"subject": name},
        }
    )


def step(template_name: str):
    return manifest_adapter.validate_python(
        {
            "apiVersion": "seqops/v1",
            "kind": "Sequence",
            "metadata": {"name": "s"},
            "spec": {"steps": [{"type": "auto_email", "template": template_name}]},
        }
    )


async def email_sequence(provider):
    """A sequence with one email step bound to `a`, plus templates `a` and `b`: their ids."""
    a, b = [(await provider.create_template(template(n))).id for n in ("a", "b")]
    ids = Ids(templates={"a": a, "b": b})
    sequence = step("a")
    live = await provider.create_sequence(sequence, ids)
    await provider.create_step(live.id, 1, sequence.spec.steps[0], ids)
    return ids


async def bind(provider, step_id: int, template_id: int) -> int:
    body = mapping.sequence_template_document(step_id, template_id, False)
    return int((await provider.client.post("/sequenceTemplates", body))["data"]["id"])


async def test_read_exposes_every_binding_of_a_step(provider):
    ids = await email_sequence(provider)
    [sequence] = (await provider.read()).of_kind("Sequence")
    first = sequence.steps[0]
    extra = await bind(provider, first.id, ids.templates["b"])

    [sequence] = (await provider.read()).of_kind("Sequence")
    live = sequence.steps[0]
    assert live.bindings() == [
        (first.sequence_template_id, ids.templates["a"]),
        (extra, ids.templates["b"]),
    ]
    assert len(live.extra_sequence_template_ids) == 1


async def test_update_step_keeps_the_wanted_binding_and_deletes_the_rest(provider):
    ids = await email_sequence(provider)
    [sequence] = (await provider.read()).of_kind("Sequence")
    await bind(provider, sequence.steps[0].id, ids.templates["b"])
    await bind(provider, sequence.steps[0].id, ids.templates["b"])
    [sequence] = (await provider.read()).of_kind("Sequence")

    result = await provider.update_step(sequence.steps[0], step("b").spec.steps[0], ids)

    [sequence] = (await provider.read()).of_kind("Sequence")
    assert sequence.steps[0].bindings() == [(result.sequence_template_id, ids.templates["b"])]
    assert result.extra_sequence_template_ids == []


async def test_a_create_under_faults_ends_on_the_older_object(app, provider_for):
    provider = provider_for(app)
    older = await provider.create_template(template("t"))
    app.state.sandbox.set_faults(fault_rate=0.3, lost_response_rate=0.3)
    racer = provider_for(app)
    try:
        await racer.create_template(template("t"))
        [again] = await racer.settle()
    finally:
        app.state.sandbox.set_faults(fault_rate=0.0, lost_response_rate=0.0)
    # Settled (its POST ran: twin deleted) or recovered (a 5xx before it ran): never a twin.
    assert again.kept == older.id and again.error is None
    rows = await provider.client.list_all("/templates")
    assert [int(r["id"]) for r in rows] == [older.id]


class BindFirst:
    """Another apply binds `template` to the newest step a moment before our binding lands."""

    def __init__(self, app, template: int) -> None:
        self.app, self.template = app, template

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and (scope["method"], scope["path"]) == (
            "POST",
            "/api/v2/sequenceTemplates",
        ):
            sandbox = self.app.state.sandbox
            newest = max(r.id for r in sandbox.store.query(TYPES["sequenceStep"]))
            ctx = Context(sandbox.store, sandbox.actor_id)
            seed.create(ctx, "sequenceTemplate", {}, sequenceStep=newest, template=self.template)
        await self.app(scope, receive, send)


async def test_a_sequence_made_by_an_earlier_run_has_its_bindings_settled(app, provider_for):
    """The provider made the sequence in an earlier run, then read the account for a new
    plan: a step it adds now can race, so its binding is settled like any other."""
    provider = provider_for(app)
    ids = await email_sequence(provider)
    await provider.settle()  # that run: the sequence was created and kept
    [sequence] = (await provider.read()).of_kind("Sequence")
    racing = provider_for(BindFirst(app, ids.templates["b"]))
    racing._read_up_to.update(provider._read_up_to)
    racing.races.fresh |= provider.races.fresh  # the same provider, as in one process

    added = await racing.create_step(sequence.id, 2, step("b").spec.steps[0], ids)
    await racing.settle()

    [sequence] = (await provider.read()).of_kind("Sequence")
    assert len(sequence.steps[1].bindings()) == 1
    assert sequence.steps[1].bindings()[0][0] < added.sequence_template_id
