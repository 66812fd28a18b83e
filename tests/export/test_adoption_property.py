"""For any account, the plan of its export adopts everything and changes nothing (pure core)."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from seqops.export import export
from seqops.manifest.models import manifest_adapter
from seqops.plan.planner import draft_plan
from seqops.providers.base import LiveState

from .conftest import live

TODAY = datetime.date(2025, 1, 1)
durations = st.sampled_from([0, 60, 5400, 3600, 86400, 90000, 172800, 604800, 7])
maybe = lambda s: st.none() | s  # noqa: E731
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
display_names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20
).filter(str.strip)


@st.composite
def templates(draw, id: int) -> object:
    spec = {
        "displayName": draw(display_names),
        "subject": draw(maybe(texts)),
        "bodyHtml": draw(maybe(texts)),
        "trackOpens": draw(st.booleans()),
        "trackLinks": draw(st.booleans()),
        "shareType": draw(st.sampled_from(["private", "read_only", "shared"])),
        "archived": draw(st.booleans()),
        "tags": draw(st.lists(st.sampled_from(["a", "b", "vip"]), unique=True)),
        "toRecipients": draw(st.lists(st.just("x@example.com"), max_size=1)),
    }
    return live("Template", id, spec, name=f"template-{id}")


@st.composite
def sequences(draw, id: int, template_ids: list[int]) -> object:
    date_type = draw(st.booleans())
    steps, bound = [], []
    for n in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["auto_email", "manual_email", "call", "task"]))
        template = draw(st.sampled_from(template_ids)) if kind.endswith("email") else None
        step = {"type": kind, "template": f"template-{template}" if template else None}
        step["isReply"] = bool(template) and draw(st.booleans())
        step["note"] = draw(maybe(texts))
        step["autoskipAfter"] = draw(maybe(durations))
        if date_type:
            step["date"] = (TODAY + datetime.timedelta(days=n)).isoformat()
        else:
            step["wait"] = draw(durations)
        steps.append(step)
        bound.append(template)
    spec = {
        "displayName": draw(display_names),
        "description": draw(maybe(texts)),
        "sequenceType": "date" if date_type else "interval",
        "scheduleIntervalType": draw(st.sampled_from(["calendar", "schedule"])),
        "shareType": draw(st.sampled_from(["private", "read_only", "shared"])),
        "enabled": draw(st.booleans()),
        "tags": draw(st.lists(st.sampled_from(["a", "b", "vip"]), unique=True)),
        "primaryReplyAction": draw(st.sampled_from(["finish", "continue", "pause"])),
        "primaryReplyPauseDuration": draw(maybe(durations)),
        "secondaryReplyAction": draw(st.sampled_from(["finish", "continue", "pause"])),
        "throttleCapacity": draw(maybe(st.integers(0, 100))),
        "throttlePaused": draw(st.booleans()),
        "transactional": draw(st.booleans()),
        "maxActivations": draw(maybe(st.integers(0, 1000))),
        "steps": steps,
    }
    return live("Sequence", id, spec, name=f"sequence-{id}", template_ids=bound)


@st.composite
def accounts(draw) -> LiveState:
    n_templates = draw(st.integers(1, 3))
    objects = [draw(templates(i)) for i in range(1, n_templates + 1)]
    ids = [o.id for o in objects]
    objects += [draw(sequences(100 + i, ids)) for i in range(draw(st.integers(0, 3)))]
    return LiveState(objects=objects)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(accounts())
def test_the_export_of_any_account_plans_to_adoptions_only(state):
    result = export(state, today=TODAY)
    yaml = YAML(typ="safe")
    resources = [manifest_adapter.validate_python(yaml.load(t)) for t in result.files.values()]
    plan = draft_plan(resources, state, "sandbox")
    assert {c.action for c in plan.changes} <= {"adopt"}
    assert [f"{c.name}: {d}" for c in plan.changes for d in c.diff] == []
    assert len(plan.changes) == len(result.files)
