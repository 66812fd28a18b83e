"""The apply report on built results: each change's JSON fields, the totals, `ok`, a refusal,
and the one-line text of a result."""

from __future__ import annotations

from seqops.apply.report import DONE, FAILED, NOT_ATTEMPTED, ApplyReport, ChangeResult
from seqops.plan.changes import Create, Delete, Update
from seqops.providers.base import LiveObject

from .kit import template


def existing(name: str, id: int) -> LiveObject:
    return LiveObject(template(name), id, updated_at="2024-01-01T00:00:00Z", owner=name)


def update(name: str = "intro", id: int = 41) -> Update:
    return Update(kind="Template", name=name, desired=template(name), existing=existing(name, id))


def create(name: str = "fresh") -> Create:
    return Create(kind="Template", name=name, desired=template(name))


def test_a_result_json_names_the_change_and_keeps_its_own_id_before_a_created_one():
    result = ChangeResult(update(), DONE, duration=0.5, created_id=99)
    assert result.to_json() == {
        "action": "update",
        "kind": "Template",
        "name": "intro",
        "id": 41,
        "status": "done",
        "error": None,
        "duration": 0.5,
    }


def test_a_created_change_reports_the_id_it_got():
    assert ChangeResult(create(), DONE, created_id=7).to_json()["id"] == 7
    assert ChangeResult(create(), NOT_ATTEMPTED).to_json()["id"] is None


def test_the_error_is_the_reason_unless_the_change_is_done():
    failed = ChangeResult(update(), FAILED, "stale: re-plan", duration=1.0)
    skipped = ChangeResult(update(), NOT_ATTEMPTED, "update Template/x did not succeed")
    done = ChangeResult(update(), DONE, "another apply created it first", duration=1.0)
    assert failed.to_json()["error"] == "stale: re-plan"
    assert skipped.to_json()["error"] == "update Template/x did not succeed"
    assert done.to_json()["error"] is None


def test_the_duration_is_rounded_to_milliseconds_and_none_when_not_attempted():
    assert ChangeResult(update(), DONE, duration=1.23456).to_json()["duration"] == 1.235
    assert ChangeResult(update(), DONE, duration=0.0004).to_json()["duration"] == 0.0
    assert ChangeResult(update(), NOT_ATTEMPTED, "no").to_json()["duration"] is None


def test_a_result_prints_its_status_change_and_reason_on_one_line():
    change = update()
    assert str(ChangeResult(change, DONE)) == f"done: {change}"
    assert str(ChangeResult(change, FAILED, "boom")) == f"failed: {change}: boom"
    assert str(change) == "update Template/intro (id 41)"


def test_a_refused_report_marks_every_change_not_attempted_with_the_reason():
    changes = [update(), create(), Delete(kind="Template", name="gone", existing=existing("g", 3))]
    report = ApplyReport.refused(changes, "3 stops exceed the limit")
    assert [r.change for r in report.results] == changes
    assert {r.status for r in report.results} == {NOT_ATTEMPTED}
    assert {r.reason for r in report.results} == {"3 stops exceed the limit"}
    assert report.refusal == "3 stops exceed the limit" and not report.ok
    document = report.to_json()
    assert document["ok"] is False and document["error"] == "3 stops exceed the limit"
    assert document["totals"] == {"done": 0, "failed": 0, "not attempted": 3, "total": 3}
    assert [c["error"] for c in document["changes"]] == ["3 stops exceed the limit"] * 3


def test_a_refused_empty_plan_is_still_not_ok():
    report = ApplyReport.refused([], "declined")
    assert report.results == [] and not report.ok
    assert report.to_json() == {
        "format_version": 1,
        "changes": [],
        "totals": {"done": 0, "failed": 0, "not attempted": 0, "total": 0},
        "ok": False,
        "error": "declined",
    }


def test_the_totals_count_each_status_and_ok_needs_every_change_done():
    done = [ChangeResult(create(f"t{i}"), DONE, duration=0.1) for i in range(3)]
    failed = ChangeResult(update(), FAILED, "boom", duration=0.2)
    skipped = ChangeResult(create("later"), NOT_ATTEMPTED, "blocked")
    report = ApplyReport([*done, failed, skipped, skipped])
    assert report.counts == {DONE: 3, FAILED: 1, NOT_ATTEMPTED: 2}
    assert report.of(FAILED) == [failed] and report.of(DONE) == done
    assert not report.ok and report.to_json()["ok"] is False
    assert report.to_json()["totals"]["total"] == 6 and report.to_json()["error"] is None
    assert ApplyReport(done).ok and ApplyReport(done).to_json()["ok"] is True
    assert ApplyReport().ok and ApplyReport().to_json()["totals"]["total"] == 0
    assert not ApplyReport([skipped]).ok
