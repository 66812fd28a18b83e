"""Interval and date sequences against the sandbox: a step's omitted `wait` is the interval
default (0) and nothing else, a date sequence never grows a `wait`, and changing `sequenceType`
is a replace (steps cannot be re-typed in place)."""

from __future__ import annotations

import pytest

from .kit import sequence, template

pytestmark = pytest.mark.anyio


def interval(*waits: str | None) -> list:
    steps = [{"type": "call", **({"wait": w} if w is not None else {})} for w in waits]
    return [template("intro"), sequence("demo", steps, displayName="Demo")]


def dated(*days: str) -> list:
    steps = [{"type": "call", "date": day} for day in days]
    return [template("intro"), sequence("demo", steps, displayName="Demo", sequenceType="date")]


async def test_an_omitted_wait_is_the_same_as_wait_zero(kit):
    await kit.converge(interval(None, "2d"))
    assert (await kit.plan(interval("0", "2d"))).empty
    changed = await kit.plan(interval("1d", "2d"))
    assert [(c.action, [d.path for d in c.diff]) for c in changed.changes] == [
        ("update", ["steps[0].wait"])
    ]


async def test_removing_a_wait_sets_it_back_to_zero(kit):
    await kit.converge(interval("1d", "2d"))
    [change] = (await kit.plan(interval(None, "2d"))).changes
    assert [(d.path, d.old, d.new) for d in change.diff] == [("steps[0].wait", "1d", "0")]
    await kit.converge(interval(None, "2d"))
    [first, _] = (await kit.live("Sequence", "demo")).resource.spec.steps
    assert first.wait == 0


async def test_a_date_sequence_converges_without_a_wait(kit):
    await kit.converge(dated("2027-01-04", "2027-01-11"))
    [change] = (await kit.plan(dated("2027-01-04", "2027-01-12"))).changes
    assert change.action == "update"
    assert [d.path for d in change.diff] == ["steps[1].date"]
    assert all("wait" not in d.path for d in change.diff)


async def test_changing_the_sequence_type_is_a_replace(kit):
    await kit.converge(interval("1d", "2d"))
    [change] = (await kit.plan(dated("2027-01-04", "2027-01-11"))).changes
    assert (change.kind, change.action) == ("Sequence", "replace")
    await kit.converge(dated("2027-01-04", "2027-01-11"))
    current = await kit.live("Sequence", "demo")
    assert current.resource.spec.sequenceType == "date"
    assert current.display_name == "Demo (v2)"
