"""Provider writes against the sandbox: updates, adoption, step rebinding, enable, delete,
stale checks and impact counts."""

from __future__ import annotations

import pytest

from seqops.manifest.models import Sequence, Step, Template
from seqops.providers.base import Ids, Impact

pytestmark = pytest.mark.anyio


def template(name: str, **spec) -> Template:
    return Template.model_validate(
        {"apiVersion": "seqops/v1", "kind": "Template", "metadata": {"name": name}, "spec": spec}
    )


def sequence(name: str, **spec) -> Sequence:
    return Sequence.model_validate(
        {"apiVersion": "seqops/v1", "kind": "Sequence", "metadata": {"name": name}, "spec": spec}
    )


async def bindings(provider, step_id: int) -> list[dict]:
    return await provider.client.list_all(
        "/sequenceTemplates", {"filter[sequenceStep][id]": step_id}
    )


async def test_update_template_adopts_and_keeps_unmanaged_tags(app, provider):
    app.state.sandbox.generate_account(1, 1, owned=False, prefix="Hand Made")
    state = await provider.read()
    (live,) = state.by_display_name("Template", "Hand Made-0000-s1")
    assert live.owner is None

    desired = template("welcome", displayName="Welcome", subject="Hi there")
    await provider.update_template(live, desired, owner="welcome")

    adopted = (await provider.read()).owned("Template", "welcome")
    assert adopted is not None and adopted.id == live.id
    assert adopted.resource.spec.subject == "Hi there"
    assert adopted.resource.spec.displayName == "Welcome"
    assert adopted.resource.spec.tags == []


async def test_update_sequence_leaves_unmanaged_fields_and_tags_alone(provider):
    state = await provider.read()
    ids = Ids(users=state.users)
    desired = sequence("s", tags=["Tier 1"], description="old", throttleCapacity=5)
    created = await provider.create_sequence(desired, ids)

    await provider.update_sequence(created, sequence("s", description="new"), ids, owner="s")

    live = (await provider.read()).owned("Sequence", "s")
    assert live.resource.spec.description == "new"
    assert live.resource.spec.tags == ["Tier 1"]
    assert live.resource.spec.throttleCapacity == 5


async def test_step_rebinding_keeps_exactly_one_template(provider):
    ids = Ids()
    for name in ("a", "b"):
        ids.templates[name] = (await provider.create_template(template(name))).id
    seq = await provider.create_sequence(sequence("seq"), ids)
    live = await provider.create_step(seq.id, 1, Step(type="auto_email", wait=0, template="a"), ids)
    assert [b["id"] for b in await bindings(provider, live.id)] == [live.sequence_template_id]

    live = await provider.update_step(
        live, Step(type="manual_email", wait=60, template="b", isReply=True), ids
    )
    (binding,) = await bindings(provider, live.id)
    assert (
        live.template_id == ids.templates["b"] == binding["relationships"]["template"]["data"]["id"]
    )

    live = await provider.update_step(live, Step(type="call", wait=60, note="ring"), ids)
    assert await bindings(provider, live.id) == []
    assert live.sequence_template_id is None

    await provider.update_step(live, Step(type="auto_email", wait=0, template="a"), ids)
    step = (await provider.read()).owned("Sequence", "seq").resource.spec.steps[0]
    assert step == Step(type="auto_email", wait=0, template="a", note="ring")


async def test_enable_disable_and_updated_at(provider):
    created = await provider.create_sequence(sequence("e"), Ids())
    before = await provider.updated_at("Sequence", created.id)
    assert before == created.updated_at

    await provider.set_enabled(created.id, True)
    await provider.set_enabled(created.id, True)  # idempotent
    live = (await provider.read()).owned("Sequence", "e")
    assert live.resource.spec.enabled is True
    assert await provider.updated_at("Sequence", created.id) == live.updated_at

    await provider.set_enabled(created.id, False)
    assert (await provider.read()).owned("Sequence", "e").resource.spec.enabled is False


async def test_delete_is_idempotent_and_updated_at_of_gone_is_none(provider):
    created = await provider.create_template(template("gone"))
    await provider.delete("Template", created.id)
    await provider.delete("Template", created.id)
    assert await provider.updated_at("Template", created.id) is None
    assert (await provider.read()).owned("Template", "gone") is None


async def test_unknown_reference_is_a_clear_error(provider):
    from seqops.providers.base import ProviderError

    with pytest.raises(ProviderError, match="Sequence/x: ruleset 'nope' does not exist"):
        await provider.create_sequence(sequence("x", ruleset="nope"), Ids())


async def test_impact_counts_active_and_paused_with_one_request_each(app, provider):
    busy, idle = app.state.sandbox.generate_account(2, 2)
    app.state.sandbox.enroll(busy, 3, state="active")
    app.state.sandbox.enroll(busy, 2, state="paused")
    app.state.sandbox.enroll(busy, 4, state="finished")

    impact = await provider.impact([busy, idle])

    assert impact == {busy: Impact(active=3, paused=2), idle: Impact()}
    assert provider.client.request_count == 2


async def test_impact_beyond_one_page_counts_paused_and_pending_separately(app, provider_for):
    (busy,) = app.state.sandbox.generate_account(1, 1)
    app.state.sandbox.enroll(busy, 6, state="active")
    app.state.sandbox.enroll(busy, 3, state="paused")
    app.state.sandbox.enroll(busy, 2, state="pending")
    provider = provider_for(app, page_size=4)

    assert await provider.impact([busy]) == {busy: Impact(active=6, paused=3, pending=2)}
    assert provider.client.request_count == 3


async def test_impact_counts_pending_prospects_from_the_one_page(app, provider):
    (waiting,) = app.state.sandbox.generate_account(1, 1)
    app.state.sandbox.enroll(waiting, 2, state="pending")
    app.state.sandbox.enroll(waiting, 1, state="active")

    assert await provider.impact([waiting]) == {waiting: Impact(active=1, pending=2)}
    assert provider.client.request_count == 1


async def test_a_capped_count_is_a_lower_bound_said_as_at_least(provider_for):
    from seqops.plan.changes import _impact_from_json, _impact_json
    from seqops.sandbox.app import create_app

    app = create_app(count_cap=3)
    sandbox = app.state.sandbox
    [busy] = sandbox.generate_account(1, 2, prefix="capped")
    sandbox.enroll(busy, 5, "active")
    provider = provider_for(app)
    [impact] = (await provider.impact([busy])).values()
    assert impact.at_least and impact.active >= 3
    assert str(impact).startswith("at least ")
    assert _impact_from_json(_impact_json(impact)) == impact  # a saved plan keeps it
