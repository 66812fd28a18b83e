"""The apply report as a document (`apply --report FILE`): each change's fields, the totals
and `ok`, checked on a real partial failure against the sandbox."""

from __future__ import annotations

import pytest

from .kit import call, email, sequence, template
from .test_apply_guards import edit_by_hand

pytestmark = pytest.mark.anyio


async def test_a_partial_failure_reports_each_change_totals_and_not_ok(kit):
    await kit.converge([template("intro", "Old subject")])
    intro = await kit.live("Template", "intro")
    plan = await kit.plan(
        [template("intro", "New subject"), sequence("demo", [email("intro"), call()])]
    )
    await edit_by_hand(kit, f"/templates/{intro.id}", {"name": "Edited in the UI"})
    report = await kit.apply(plan)
    document = report.to_json()
    failed, blocked = document["changes"]
    assert (failed["action"], failed["kind"], failed["name"]) == ("update", "Template", "intro")
    assert failed["id"] == intro.id and failed["status"] == "failed"
    assert "stale" in failed["error"] and failed["duration"] >= 0
    assert (blocked["action"], blocked["kind"], blocked["name"]) == ("create", "Sequence", "demo")
    assert blocked["id"] is None and blocked["status"] == "not attempted"
    assert "Template/intro" in blocked["error"] and blocked["duration"] is None
    assert document["totals"] == {"done": 0, "failed": 1, "not attempted": 1, "total": 2}
    assert document["ok"] is False and report.ok is False
    assert str(report.results[0]).startswith("failed: ")
    assert str(report.results[0]).endswith(": " + report.results[0].reason)


async def test_a_clean_apply_reports_ok_with_the_created_ids_and_no_errors(kit):
    plan = await kit.plan([template("intro"), sequence("demo", [email("intro")])])
    report = await kit.apply(plan)
    document = report.to_json()
    assert document["ok"] is True and report.ok is True
    assert document["totals"] == {"done": 2, "failed": 0, "not attempted": 0, "total": 2}
    for change, result in zip(document["changes"], report.results, strict=True):
        assert change["status"] == "done" and change["error"] is None
        assert change["id"] == result.created_id and isinstance(change["id"], int)
        assert change["duration"] == round(result.duration, 3)
        assert str(result) == f"done: {result.change}"
    assert (await kit.live("Sequence", "demo")).id == document["changes"][1]["id"]
    assert (await kit.plan([template("intro"), sequence("demo", [email("intro")])])).empty
