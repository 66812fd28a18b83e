"""No write changes a field the plan did not show (issue 27): for random accounts and random
edits against the sandbox, every attribute that differs between the live account before and
after an apply (read from the raw API, not through seqops) is named by the plan's diff of the
change to that object (or by its action: an adopt adds the tag, an enable or disable flips
`enabled`), and every object that appears is a create or a replace's new version."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from seqops.plan.changes import Change
from seqops.plan.plan import Plan
from seqops.sandbox.advance import advance

from .kit import Kit, call, email, new_kit, sequence, template

pytestmark = pytest.mark.anyio
SERVER_OWNED = {
    "updatedAt",
    "createdAt",
    "enabledAt",
    "lastUsedAt",
    "sequenceStepCount",
    "durationInDays",
    "automationPercentage",
    "displayName",
    "bodyText",
    "locked",
    "lockedAt",
    "throttlePausedAt",
    "archivedAt",
}
"""Attributes the server computes (step displayName included): never a write of seqops."""
actions: Counter[str] = Counter()
"""Every action the seeds planned (the last test checks they made each kind of write)."""
NAMES = {"name": "displayName", "interval": "wait", "taskNote": "note", "stepType": "type"}


def random_steps(draw: random.Random, n: int) -> list[dict]:
    pool = [
        lambda w: email("a", w),
        lambda w: email("b", w),
        lambda w: call(w),
        lambda w: call(w, note="Ring"),
        lambda w: {"type": "task", "wait": w, "note": "Check"},
    ]
    return [draw.choice(pool)(draw.choice(["0", "1d", "2d", "3d"])) for _ in range(n)]


def base(draw: random.Random) -> list:
    sequences = [
        sequence(
            f"s{i}",
            random_steps(draw, draw.randint(2, 4)),
            displayName=f"Seq {i}",
            enabled=draw.random() < 0.7,
        )
        for i in range(3)
    ]
    return [template("a"), template("b", "Bee"), *sequences]


def edit(draw: random.Random, resources: list) -> list:
    out = []
    for r in resources:
        data = r.model_dump(mode="json", exclude_none=True)
        spec = data["spec"]
        if r.kind == "Template" and draw.random() < 0.4:
            spec["subject"] = f"Subject {draw.randint(1, 9)}"
        if r.kind == "Sequence":
            edit_sequence(draw, spec)
        out.append(type(r).model_validate(data))
    return out


def edit_sequence(draw: random.Random, spec: dict) -> None:
    steps = spec["steps"]
    what = draw.choice(
        ["none", "rename", "description", "throttle", "tags", "enabled", "wait", "append",
         "remove", "swap", "stop"]
    )  # fmt: skip
    if what == "rename":
        spec["displayName"] += " renamed"
    elif what == "description":
        spec["description"] = "Words"
    elif what == "throttle":
        spec["throttleMaxAddsPerDay"] = draw.randint(10, 90)
    elif what == "tags":
        spec["tags"] = ["q3"]
    elif what == "enabled":
        spec["enabled"] = not spec.get("enabled")
    elif what == "wait":
        steps[-1]["wait"] = "1w"
    elif what == "append":
        steps.append(call("2d"))
    elif what == "remove" and len(steps) > 1:
        steps.pop(0)
    elif what in ("swap", "stop") and len(steps) > 1 and steps[0] != steps[-1]:
        steps[0], steps[-1] = steps[-1], steps[0]
        spec["onReplace"] = "stop" if what == "stop" else "drain"


async def snapshot(kit: Kit) -> dict[tuple[str, int], dict]:
    """(type, id) -> what seqops could write of it, straight from the API."""
    found: dict[tuple[str, int], dict] = {}
    for path, kind in (("/sequences", "Sequence"), ("/templates", "Template")):
        for row in await kit.client.list_all(path):
            found[(kind, int(row["id"]))] = written_fields(row)
    steps = await kit.client.list_all("/sequenceSteps")
    bindings = await kit.client.list_all("/sequenceTemplates")
    for step in steps:
        owner = ("Sequence", related(step, "sequence"))
        mine = [b for b in bindings if related(b, "sequenceStep") == int(step["id"])]
        shown = {**written_fields(step), "templates": sorted(related(b, "template") for b in mine)}
        found[owner][f"steps#{step['id']}"] = shown
    return found


def written_fields(row: dict) -> dict:
    attrs = {
        NAMES.get(k, k): v
        for k, v in row["attributes"].items()
        if k not in SERVER_OWNED and not k.endswith("Count") and not k.startswith("num")
    }
    for name in ("ruleset", "owner", "taskPriority"):
        if name in (row.get("relationships") or {}):
            attrs[name] = related(row, name)
    return attrs


def related(row: dict, name: str) -> int | None:
    data = ((row.get("relationships") or {}).get(name) or {}).get("data")
    return None if data is None else int(data["id"])


def covered(change: Change, field: str, before: dict, after: dict) -> bool:
    """Whether `change` shows the write of `field` on its live object."""
    paths = {d.path for d in change.diff}
    fields = {p.split(".", 1)[0].split("[", 1)[0] for p in paths}
    if change.action == "replace":
        fields = {
            p.removeprefix("old_version.").split(".", 1)[0] for p in paths if "old_version." in p
        }
    if field.startswith("steps#"):
        return "steps" in fields
    if field == "tags":
        return tags_covered(change, fields, before.get("tags"), after.get("tags"))
    if field == "enabled":
        return "enabled" in fields or change.action in ("enable", "disable")
    return field in fields


def tags_covered(change: Change, fields: set[str], old: list | None, new: list | None) -> bool:
    user = lambda tags: sorted(t for t in tags or () if not t.startswith("seqops:"))  # noqa: E731
    ownership_only = user(old) == user(new)
    if ownership_only:
        return "ownership" in fields or change.action == "adopt"
    return "tags" in fields


async def apply_and_check(kit: Kit, resources: list) -> Plan:
    plan = await kit.plan(resources)
    before = await snapshot(kit)
    report = await kit.apply(plan, allow_disruption=True)
    assert report.ok, [str(r) for r in report.results]
    after = await snapshot(kit)
    by_id = {(c.kind, c.id): c for c in plan.changes if c.id is not None}
    unshown = []
    for key in before.keys() & after.keys():
        for field in sorted(set(before[key]) | set(after[key])):
            old, new = before[key].get(field), after[key].get(field)
            if old == new:
                continue
            change = by_id.get(key)
            if change is None or not covered(change, field, before[key], after[key]):
                unshown.append(f"{key} {field}: {old!r} -> {new!r} ({change})")
    assert unshown == [], unshown
    appeared = Counter(kind for kind, _ in after.keys() - before.keys())
    made = Counter(c.kind for c in plan.changes if c.action in ("create", "replace"))
    assert appeared == made
    actions.update(c.action for c in plan.changes)
    return plan


@pytest.mark.parametrize("seed", range(12))
async def test_every_field_a_write_changes_is_in_the_plan(seed):
    draw = random.Random(seed)
    kit = new_kit()
    try:
        first = base(draw)
        await apply_and_check(kit, first)
        for sequence_row in await kit.sequences():
            if sequence_row["attributes"]["enabled"] and draw.random() < 0.6:
                kit.sandbox.enroll(int(sequence_row["id"]), draw.randint(1, 3))
            elif not sequence_row["attributes"]["enabled"] and draw.random() < 0.4:
                kit.sandbox.enroll(int(sequence_row["id"]), 2, "pending")
        second = edit(draw, first)
        await apply_and_check(kit, second)
        advance(kit.sandbox.store, 30 * 86_400)  # old versions drain
        await apply_and_check(kit, second)
        third = edit(draw, second)  # edits of the new versions too
        await apply_and_check(kit, third)
        assert (await kit.plan(third)).empty
    finally:
        await kit.provider.aclose()


def test_the_random_edits_made_every_kind_of_write():
    """Runs after the seeds above: they planned updates, replaces, enables and disables."""
    assert {"update", "replace", "enable", "disable"} <= set(actions), actions
