"""Unowned objects never count toward the too-many-updates rule: adopting untagged objects and
updating rulesets (which carry no ownership tag) change nothing seqops owned before."""

from __future__ import annotations

from seqops.plan.safety import SafetyThresholds, TooManyUpdates

from .test_planner import CALL, draft, live, res, seq

OWNED = [res("Template", f"t{i}", {"subject": "same"}) for i in range(10)]


def rules(plan) -> set[type]:
    return {type(v) for v in plan.violations(SafetyThresholds())}


def test_adopting_many_untagged_objects_needs_no_force():
    untagged = [
        live(seq(f"u{i}", [CALL], displayName=f"U{i}"), 20 + i, owner=None) for i in range(6)
    ]
    wanted = [seq(f"u{i}", [CALL], displayName=f"U{i}", tags=["new"]) for i in range(6)]
    objects = [live(t, i + 1) for i, t in enumerate(OWNED)] + untagged
    plan = draft([*OWNED, *wanted], objects)
    assert [c.action for c in plan.changes] == ["adopt"] * 6
    assert plan.owned_resources == 10
    assert not rules(plan)


def test_updating_many_rulesets_needs_no_force():
    rulesets = [res("Ruleset", f"r{i}", {"displayName": f"R{i}"}) for i in range(6)]
    live_rulesets = [live(r, 40 + i, owner=None) for i, r in enumerate(rulesets)]
    changed = [
        res("Ruleset", f"r{i}", {"displayName": f"R{i}", "permitDuplicateProspects": "disallow"})
        for i in range(6)
    ]
    objects = [live(t, i + 1) for i, t in enumerate(OWNED)] + live_rulesets
    plan = draft([*OWNED, *changed], objects)
    assert [(c.kind, c.action) for c in plan.changes] == [("Ruleset", "update")] * 6
    assert not rules(plan)


def test_the_same_count_of_owned_updates_needs_force():
    edited = [res("Template", f"t{i}", {"subject": "new" if i < 6 else "same"}) for i in range(10)]
    plan = draft(edited, [live(t, i + 1) for i, t in enumerate(OWNED)])
    assert [c.action for c in plan.changes] == ["update"] * 6
    [refusal] = plan.violations(SafetyThresholds())
    assert isinstance(refusal, TooManyUpdates)
    assert "too-many-updates rule: 6 of 10 owned resources (60%)" in str(refusal)
    assert "--force" in str(refusal)
