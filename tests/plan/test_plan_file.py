"""The plan as a file: its summary, the exact canonical JSON its checksum covers, and every
field read back (or refused) from a saved plan."""

from __future__ import annotations

import hashlib
import json

import pytest

from seqops.plan.changes import Create, Delete, Disable, Enable, Update
from seqops.plan.errors import PlanError
from seqops.plan.plan import FORMAT_VERSION, Plan, PlanFileError, canonical, checksum
from seqops.plan.retiring import Draining
from seqops.plan.safety import DeleteNotAllowed, SafetyThresholds
from seqops.providers.base import Ids

from .test_planner import live, seq


def full_plan() -> Plan:
    return Plan(
        "prod",
        [
            Delete(kind="Template", name="old"),
            Create(kind="Sequence", name="new"),
            Update(kind="Sequence", name="s", existing=live(seq("s", []), 4)),
            Disable(kind="Sequence", name="d"),
            Enable(kind="Sequence", name="e"),
            Create(kind="Template", name="t"),
        ],
        target_description="the prod account",
        warnings=["careful"],
        owned_resources=12,
        enabled_sequences=7,
        manifest_kinds={"Template": 2, "Sequence": 3},
        requires=["--force", "--allow-delete"],
        references=Ids(templates={"b": 2, "a": 1}, users={"ann@example.com": 5}),
        draining=[Draining("demo", 4, "Demo (v1, retiring)", True, 3, 1, 0, "2026-12-21")],
    )


def test_an_empty_plan_and_its_summary():
    plan = Plan("t")
    assert plan.empty and plan.changes == []
    assert plan.summary == dict.fromkeys(
        ("create", "update", "adopt", "replace", "enable", "disable", "delete"), 0
    )
    assert not full_plan().empty
    assert full_plan().summary == {
        "create": 2,
        "update": 1,
        "adopt": 0,
        "replace": 0,
        "enable": 1,
        "disable": 1,
        "delete": 1,
    }


def test_the_repr_is_short():
    assert repr(full_plan()) == "Plan(target='prod', changes=6)"


def test_the_body_holds_every_plan_field_sorted():
    body = full_plan().body()
    assert body["format_version"] == FORMAT_VERSION == 1
    assert (body["target"], body["target_description"]) == ("prod", "the prod account")
    assert [(c["action"], c["name"]) for c in body["changes"]] == [
        ("create", "t"),
        ("create", "new"),
        ("update", "s"),
        ("disable", "d"),
        ("delete", "old"),
        ("enable", "e"),
    ]
    assert body["summary"] == full_plan().summary and body["warnings"] == ["careful"]
    assert (body["owned_resources"], body["enabled_sequences"]) == (12, 7)
    assert list(body["manifest_kinds"].items()) == [("Sequence", 3), ("Template", 2)]
    assert body["requires"] == ["--allow-delete", "--force"]
    assert body["references"] == {
        "templates": {"a": 1, "b": 2},
        "rulesets": {},
        "users": {"ann@example.com": 5},
        "stages": {},
        "task_priorities": {},
    }
    assert list(body["references"]["templates"]) == ["a", "b"]
    assert list(body) == [
        "format_version",
        "target",
        "target_description",
        "changes",
        "summary",
        "warnings",
        "owned_resources",
        "enabled_sequences",
        "manifest_kinds",
        "requires",
        "references",
        "templates",
        "draining",
    ]
    assert body["draining"] == [
        {
            "name": "demo",
            "id": 4,
            "display_name": "Demo (v1, retiring)",
            "enabled": True,
            "active": 3,
            "paused": 1,
            "pending": 0,
            "finishes_by": "2026-12-21",
        }
    ]


def test_the_checksum_is_the_sha256_of_the_compact_sorted_utf8_json():
    assert canonical({"b": 1, "a": ["é", None]}) == '{"a":["é",null],"b":1}'.encode()
    body = full_plan().body()
    expected = hashlib.sha256(canonical(body)).hexdigest()
    assert checksum(body) == full_plan().checksum == expected
    doc = full_plan().to_json()
    assert doc["checksum"] == expected and {k: v for k, v in doc.items() if k != "checksum"} == body


def test_a_saved_plan_reads_back_every_field():
    again = Plan.from_json(json.loads(json.dumps(full_plan().to_json())))
    assert again.to_json() == full_plan().to_json()
    assert (again.target, again.target_description) == ("prod", "the prod account")
    assert again.warnings == ["careful"]
    assert (again.owned_resources, again.enabled_sequences) == (12, 7)
    assert again.manifest_kinds == {"Sequence": 3, "Template": 2}
    assert again.requires == ["--allow-delete", "--force"]
    assert again.references == Ids(templates={"a": 1, "b": 2}, users={"ann@example.com": 5})


def signed(body: dict) -> dict:
    return {**body, "checksum": checksum(body)}


def test_a_saved_plan_without_optional_fields_reads_with_defaults():
    plan = Plan.from_json(signed({"format_version": 1, "target": "t", "changes": []}))
    assert (plan.target, plan.target_description, plan.warnings) == ("t", "", [])
    assert (plan.owned_resources, plan.enabled_sequences) == (0, 0)
    assert (plan.manifest_kinds, plan.requires, plan.references) == ({}, [], Ids())


@pytest.mark.parametrize("version", [0, 2, None, "1"])
def test_another_format_version_is_refused(version):
    body = {**full_plan().body(), "format_version": version}
    with pytest.raises(PlanFileError) as error:
        Plan.from_json(signed(body))
    assert str(error.value) == f"unsupported plan format_version {version!r}"
    assert isinstance(error.value, PlanError)


def test_a_missing_or_wrong_checksum_is_refused():
    doc = full_plan().to_json()
    for broken in (
        {**doc, "checksum": "0" * 64},
        {k: v for k, v in doc.items() if k != "checksum"},
    ):
        with pytest.raises(PlanFileError) as error:
            Plan.from_json(broken)
        assert str(error.value) == "the plan file's checksum does not match its content: re-plan"
    edited = {**doc, "owned_resources": 13}
    with pytest.raises(PlanFileError):
        Plan.from_json(edited)


def test_the_plan_checks_its_own_safety():
    plan = Plan("t", [Delete(kind="Template", name="old")])
    assert [type(v) for v in plan.violations(SafetyThresholds())] == [DeleteNotAllowed]
    plan.raise_if_unsafe(SafetyThresholds(), allow_disruption=False, force=False)
    with pytest.raises(DeleteNotAllowed):
        plan.raise_if_unsafe(
            SafetyThresholds(), allow_disruption=False, force=False, allow_delete=False
        )
