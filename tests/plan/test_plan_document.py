"""The plan document: JSON of DESIGN §3, checksum, round trip of every change type."""

from __future__ import annotations

import json

import pytest

from seqops.plan.plan import Plan, PlanFileError
from seqops.plan.planner import draft_plan, finish
from seqops.providers.base import Impact, LiveState

from .test_planner import CALL, TASK, live, res, seq


@pytest.fixture
def plan() -> Plan:
    objects = [
        live(seq("replaced", [CALL, TASK], enabled=True), 1),
        live(seq("edited", [CALL]), 2),
        live(seq("gone", [], enabled=True), 3),
        live(res("Template", "t", {"displayName": "T", "subject": "old"}), 4, owner=None),
    ]
    resources = [
        seq("replaced", [TASK]),
        seq("edited", [{"type": "call", "wait": "2d"}], enabled=True),
        seq("new", [{"type": "auto_email", "template": "t"}]),
        res("Template", "t", {"displayName": "T", "subject": "new"}),
    ]
    draft = draft_plan(resources, LiveState(objects=objects), "prod")
    return finish(draft, {1: Impact(active=3), 2: Impact(), 3: Impact(paused=1)})


def test_json_has_the_design_fields(plan):
    doc = plan.to_json()
    assert doc["format_version"] == 1 and doc["target"] == "prod"
    assert set(doc["summary"]) == {
        "create",
        "update",
        "adopt",
        "replace",
        "enable",
        "disable",
        "delete",
    }
    assert doc["summary"]["replace"] == 1 and doc["summary"]["adopt"] == 1
    for change in doc["changes"]:
        assert {"action", "kind", "name", "id", "diff", "impact", "warnings"} <= set(change)
    replaced = next(c for c in doc["changes"] if c["action"] == "replace")
    assert replaced["impact"] == {"active": 3, "paused": 0} and replaced["updated_at"] == "t0"
    assert len(doc["checksum"]) == 64


def test_round_trip_is_exact(plan):
    text = json.dumps(plan.to_json())
    again = Plan.from_json(json.loads(text))
    assert again.to_json() == plan.to_json()
    assert [type(c) for c in again.changes] == [type(c) for c in plan.changes]


def test_a_tampered_plan_is_refused(plan):
    doc = plan.to_json()
    doc["changes"][0]["name"] = "something-else"
    with pytest.raises(PlanFileError, match="checksum"):
        Plan.from_json(doc)


def test_checksum_is_deterministic(plan):
    assert plan.checksum == Plan.from_json(plan.to_json()).checksum
