"""Guards of the safety core, each tested by behaviour: what a reviewer or an account would see
if the guard were gone (found by mutation testing: these mutants survived the suite before)."""

from __future__ import annotations

import json

import pytest

from seqops.plan.plan import Plan, PlanFileError, checksum
from seqops.providers.base import Ids

from .test_planner import CALL, draft, live, seq


def test_adoption_never_takes_an_object_another_manifest_owns():
    """A live sequence tagged for key `b` with the display name `a` wants is `b`'s: `a` is
    created beside it, never adopted from under `b`."""
    theirs = live(seq("b", [CALL], displayName="Shared name"), 7, owner="b")
    mine = seq("a", [CALL], displayName="Shared name")
    plan = draft([mine, seq("b", [CALL], displayName="Shared name")], [theirs])
    assert [(c.action, c.name, c.id) for c in plan.changes] == [("create", "a", None)]


def test_adoption_takes_an_untagged_object_with_the_display_name():
    untagged = live(seq("x", [CALL], displayName="Shared name"), 7, owner=None)
    plan = draft([seq("a", [CALL], displayName="Shared name")], [untagged])
    assert [(c.action, c.name, c.id) for c in plan.changes] == [("adopt", "a", 7)]


def saved(plan: Plan) -> dict:
    return json.loads(json.dumps(plan.to_json()))


def test_a_saved_plan_whose_references_were_edited_is_refused():
    plan = draft([seq("a", [CALL])], [])
    plan.references = Ids(templates={"intro": 3})
    document = saved(plan)
    assert Plan.from_json(document).references.templates == {"intro": 3}
    document["references"]["templates"]["intro"] = 4  # points a step at another template
    with pytest.raises(PlanFileError, match="checksum"):
        Plan.from_json(document)


def test_the_checksum_does_not_depend_on_key_order():
    body = {k: v for k, v in saved(draft([seq("a", [CALL])], [])).items() if k != "checksum"}
    assert checksum(dict(reversed(body.items()))) == checksum(body)
