"""What the plan says and does when it resumes an interrupted replace (`seqops.plan.recovery`):
the warning naming the step count, the old version's retirement (re-tag, disable, reason), and
enabling the new version even when the manifest does not say `enabled`."""

from __future__ import annotations

import pytest

from seqops.providers.base import Ids

from .kit import call, email, sequence, template

pytestmark = pytest.mark.anyio


async def interrupt_a_replace(kit, **spec):
    """v1 (two steps, enabled) live; the replace to one step died right after creating v2."""
    before = [template("intro"), sequence("s", [email("intro"), call("1d")], enabled=True)]
    await kit.converge(before)
    after = [before[0], sequence("s", [email("intro")], **spec)]
    ids = Ids(templates={"intro": (await kit.live("Template", "intro")).id})
    v2 = after[1].model_copy(
        update={"spec": after[1].spec.model_copy(update={"displayName": "s (v2)"})}
    )
    await kit.provider.create_sequence(v2, ids)
    return after


async def test_the_resume_warning_and_the_old_versions_retirement_say_what_is_left(kit):
    after = await interrupt_a_replace(kit, enabled=True)
    plan = await kit.plan(after)
    assert plan.warnings == ["resuming replace of Sequence/s: v2 has 0 of 1 steps"]
    update, enable, retire = plan.changes
    assert (update.action, enable.action, retire.action) == ("update", "enable", "disable")
    assert update.reason == plan.warnings[0]
    assert retire.old_version and retire.retire_as == "s--retired"
    assert retire.reason == (
        "resuming replace of Sequence/s: v1 's' left still enabled by an interrupted "
        "replace, settled once v2 runs: v1 holds nobody: it is disabled (no step fires for "
        "anyone in it) and renamed 's (v1, retired)'"
    )
    assert [(d.path, d.old, d.new) for d in retire.diff] == [
        ("ownership", "seqops:s", "seqops:s--retired"),
        ("displayName", "s", "s (v1, retired)"),
        ("enabled", True, False),
    ]
    await kit.converge(after)
    v1 = [s for s in await kit.sequences() if s["attributes"]["name"] == "s (v1, retired)"]
    assert v1[0]["attributes"]["tags"] == ["seqops:s--retired"]
    assert v1[0]["attributes"]["enabled"] is False


async def test_a_manifest_silent_on_enabled_still_enables_the_new_version(kit):
    after = await interrupt_a_replace(kit)
    plan = await kit.plan(after)
    assert [c.action for c in plan.changes] == ["update", "enable", "disable"]
    await kit.converge(after)
    current = await kit.live("Sequence", "s")
    assert current.display_name == "s (v2)" and current.resource.spec.enabled is True
