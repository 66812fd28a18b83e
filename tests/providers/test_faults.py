"""Writes under injected faults and lost responses: everything lands once, nothing twice."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from seqops.manifest.models import Sequence, Step, Template
from seqops.providers.base import Ids
from seqops.providers.outreach import OutreachProvider
from seqops.sandbox.app import create_app

pytestmark = pytest.mark.anyio


def template(name: str) -> Template:
    spec = {"subject": f"About {name}"}
    return Template.model_validate(
        {"apiVersion": "seqops/v1", "kind": "Template", "metadata": {"name": name}, "spec": spec}
    )


def sequence(name: str) -> Sequence:
    return Sequence.model_validate(
        {"apiVersion": "seqops/v1", "kind": "Sequence", "metadata": {"name": name}, "spec": {}}
    )


STEPS = [
    Step(type="auto_email", wait=0, template="t-0"),
    Step(type="call", wait=86400),
    Step(type="manual_email", wait=3600, template="t-1", isReply=True),
    Step(type="task", wait=60, note="follow up"),
]


async def build_account(provider: OutreachProvider, n_sequences: int) -> None:
    ids = Ids()
    created = await asyncio.gather(
        *(provider.create_template(template(f"t-{i}")) for i in range(4))
    )
    ids.templates = {t.resource.name: t.id for t in created}

    async def one(i: int) -> None:
        live = await provider.create_sequence(sequence(f"s-{i}"), ids)
        for order, step in enumerate(STEPS, start=1):
            await provider.create_step(live.id, order, step, ids)

    await asyncio.gather(*(one(i) for i in range(n_sequences)))


async def test_lost_responses_and_faults_produce_no_duplicates(provider_for):
    app = create_app(fault_rate=0.15, lost_response_rate=0.25, seed=7)
    provider = provider_for(app)

    await build_account(provider, n_sequences=12)

    app.state.sandbox.set_faults(fault_rate=0.0, lost_response_rate=0.0)
    state = await provider_for(app).read()
    assert sorted(o.owner for o in state.of_kind("Template")) == [f"t-{i}" for i in range(4)]
    sequences = state.of_kind("Sequence")
    assert sorted(s.owner for s in sequences) == sorted(f"s-{i}" for i in range(12))
    for live in sequences:
        assert live.resource.spec.steps == STEPS
        assert [s.order for s in live.steps] == [1, 2, 3, 4]
    bindings = await provider.client.list_all("/sequenceTemplates")
    per_step = Counter(b["relationships"]["sequenceStep"]["data"]["id"] for b in bindings)
    assert len(per_step) == 24 and set(per_step.values()) == {1}
    # The faults really happened: more requests were sent than the writes needed.
    writes = 4 + 12 * (1 + 4 + 2)
    assert sum(n for key, n in provider.client.requests.items() if key.startswith("POST")) > writes
