"""Version suffixes survive renames (issue 16): a renamed `(vN)` keeps its N, a rename and its
revert never leave two same-named sequences, and no version name is ever reused."""

from __future__ import annotations

from collections import Counter

import pytest

from seqops.plan.versions import renamed

from .kit import call, email, sequence, template

pytestmark = pytest.mark.anyio


def manifests(display: str, steps: int, **spec):
    chosen = [email("intro"), call("1d"), call("2d"), call("3d")][:steps]
    return [template("intro"), sequence("nurture", chosen, displayName=display, **spec)]


async def names(kit) -> Counter:
    return Counter(r["attributes"]["name"] for r in await kit.sequences())


async def at_v3(kit) -> None:
    for steps in (4, 3, 2):  # each removal is a replace: v1, v2, v3
        await kit.converge(manifests("Trial nurture", steps, enabled=True))
    assert (await kit.live("Sequence", "nurture")).display_name == "Trial nurture (v3)"


async def test_a_rename_keeps_the_version_suffix(kit):
    await at_v3(kit)
    plan = await kit.plan(manifests("New name", 2, enabled=True))
    [change] = plan.changes
    assert change.action == "update"
    assert [(d.path, d.old, d.new) for d in change.diff] == [
        ("displayName", "Trial nurture (v3)", "New name (v3)")
    ]
    await kit.converge(manifests("New name", 2, enabled=True))
    assert (await kit.live("Sequence", "nurture")).display_name == "New name (v3)"


async def test_a_rename_and_its_revert_leave_no_twin_names(kit):
    await at_v3(kit)
    await kit.converge(manifests("New name", 2, enabled=True))
    await kit.converge(manifests("Trial nurture", 2, enabled=True))
    assert all(n == 1 for n in (await names(kit)).values()), await names(kit)
    assert (await kit.live("Sequence", "nurture")).display_name == "Trial nurture (v3)"


async def test_a_replace_after_a_rename_goes_up_from_the_version_reached(kit):
    await at_v3(kit)
    await kit.converge(manifests("Other", 1, enabled=True))  # rename and remove a step
    assert (await kit.live("Sequence", "nurture")).display_name == "Other (v4)"
    assert all(n == 1 for n in (await names(kit)).values())


def test_renamed_names():
    assert renamed("Other", "Demo (v2)", ["Demo", "Demo (v2)"]) == "Other (v2)"
    assert renamed("Demo", "Demo (v2)", ["Demo", "Demo (v2)"]) == "Demo (v2)"  # kept as is
    assert renamed("Other", "Demo", ["Demo"]) == "Other"  # v1 has no suffix
    assert renamed("Other (v7)", "Demo (v2)", []) == "Other (v7)"  # the manifest says
    taken = ["Demo (v3)", "New (v3)", "New (v5)"]
    assert renamed("New", "Demo (v3)", taken) == "New (v6)"  # never a live name


async def test_a_replace_never_takes_a_live_name_across_a_gap(kit):
    """Live `Demo` (v1 of `nurture`) and `Demo (v3)` (another key's): the replace of `nurture`
    goes above every live version of the name, never into the gap onto a live name."""
    other = sequence("other", [call("1d")], displayName="Demo (v3)")
    await kit.converge([*manifests("Demo", 2), other])
    await kit.converge([*manifests("Demo", 1), other])  # a removal: a replace
    assert (await kit.live("Sequence", "nurture")).display_name == "Demo (v4)"
    assert (await kit.live("Sequence", "other")).display_name == "Demo (v3)"
    assert all(n == 1 for n in (await names(kit)).values()), await names(kit)
