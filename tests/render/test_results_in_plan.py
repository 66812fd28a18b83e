"""The figures the account already holds (a step's and a template's deliveries, opens,
replies) are read with them, at no extra request, saved in the plan, and shown for every
changed, moved or removed step and every changed template, also from a saved plan."""

from __future__ import annotations

import json

import pytest

from seqops.plan.plan import Plan
from seqops.render import MarkdownRenderer, TextRenderer
from seqops.sandbox.resources import SEQUENCE_STEP, TEMPLATE
from tests.scenarios.kit import call, edited, email, new_kit, sequence, template

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def kit():
    kit = new_kit()
    yield kit
    await kit.provider.aclose()


def account():
    return [
        template("intro", "Quick intro"),
        sequence("outbound", [email("intro", "0"), call("2d", note="Ring them"), call("1d")]),
    ]


def count(kit, rtype, id: int, **counters: int) -> None:
    """What `sandbox advance` records on a step or template, set directly."""
    store = kit.sandbox.store
    row = store.get(rtype, id)
    row.attributes.update(counters)
    store.update(row)


async def test_removing_a_step_shows_what_it_achieved_in_every_renderer(kit):
    await kit.converge(account())
    live = await kit.live("Sequence", "outbound")
    first, second, _ = live.steps
    count(kit, SEQUENCE_STEP, first.id, deliverCount=1240, openCount=496, replyCount=38)
    count(kit, SEQUENCE_STEP, second.id, deliverCount=0)
    intro = await kit.live("Template", "intro")
    count(kit, TEMPLATE, intro.id, deliverCount=2000, openCount=900, replyCount=50)

    kit.sandbox.reset_counters()
    changed = edited(account(), "intro", bodyHtml="<p>New words</p>")
    changed = edited(changed, "outbound", steps=[call("2d", note="Ring them"), call("1d")])
    plan = await kit.plan(changed)
    asked = {path for _, path in kit.sandbox.requests}
    assert not any("{id}" in path for path in asked), asked  # listings only, no GET per step

    saved = Plan.from_json(json.loads(json.dumps(plan.to_json())))
    for shown in (plan, saved):
        md = MarkdownRenderer().render(shown)
        assert "removed" in md and "1,240 delivered, 40.0 % opened, 3.1 % replied so far" in md
        assert "📊 **Results so far**: 2,000 delivered, 45.0 % opened, 2.5 % replied" in md
        text = TextRenderer().render(shown)
        assert "results so far: 1,240 delivered, 40.0 % opened, 3.1 % replied" in text
        assert "results so far: 2,000 delivered, 45.0 % opened, 2.5 % replied" in text
    document = plan.to_json()
    [seq] = [c for c in document["changes"] if c["kind"] == "Sequence"]
    assert seq["live"]["steps"][0]["results"]["delivered"] == 1240
    assert "results" not in seq["live"]["steps"][2]  # nothing counted: nothing saved
    [tpl] = [c for c in document["changes"] if c["kind"] == "Template"]
    assert tpl["live"]["results"] == {
        "delivered": 2000,
        "opened": 900,
        "clicked": 0,
        "replied": 50,
        "bounced": 0,
    }
