"""`reconcile`, the one path of plan and apply, against the sandbox: what it plans, when it
shows, annotates, confirms and executes, which options reach the planner, the safety rules and
the executor, and how a saved plan for another target is refused."""

from __future__ import annotations

import pytest

from seqops.apply.reconcile import Options, Outcome, reconcile
from seqops.apply.report import DONE
from seqops.lint.inplan import LintBlocked
from seqops.plan.plan import Plan, PlanFileError
from seqops.plan.safety import DeleteNotAllowed, SafetyThresholds, TooManyChanges
from seqops.plan.selection import Selection

from .kit import TARGET, Kit, call, email, sequence, template

pytestmark = pytest.mark.anyio

ERROR = {
    "file": "manifests/intro.yaml",
    "line": 3,
    "column": 5,
    "rule": "T001",
    "severity": "error",
    "message": "unknown variable",
}


def two() -> list:
    return [template("intro"), sequence("demo", [email("intro"), call()])]


async def run(kit: Kit, source, options: Options = Options(), **kw) -> Outcome:
    return await reconcile(source, kit.provider, TARGET, options, **kw)


async def test_without_apply_it_plans_shows_and_writes_nothing(kit):
    shown: list[Plan] = []
    asked: list[Plan] = []
    outcome = await run(kit, two(), apply=False, show=shown.append, confirm=asked.append)
    assert [(c.action, c.name) for c in outcome.plan.changes] == [
        ("create", "intro"),
        ("create", "demo"),
    ]
    assert shown == [outcome.plan] and asked == []
    assert outcome.report is None and not outcome.declined and not outcome.read_only
    assert await kit.live("Template", "intro") is None


async def test_with_apply_it_shows_confirms_then_executes_every_change(kit):
    events: list[str] = []
    outcome = await run(
        kit,
        two(),
        apply=True,
        show=lambda p: events.append(f"show {len(p.changes)}"),
        confirm=lambda p: events.append(f"confirm {len(p.changes)}") or True,
        on_start=lambda c: events.append(f"start {c.name}"),
        progress=lambda r: events.append(f"{r.status} {r.change.name}"),
    )
    assert events[:2] == ["show 2", "confirm 2"]
    assert sorted(events[2:]) == sorted(["start intro", "done intro", "start demo", "done demo"])
    assert events.index("start demo") > events.index("done intro")
    assert [r.status for r in outcome.report.results] == [DONE, DONE]
    assert not outcome.declined and not outcome.read_only
    assert (await kit.live("Sequence", "demo")).id == outcome.report.results[1].created_id


async def test_a_declined_confirmation_writes_nothing(kit):
    outcome = await run(kit, two(), apply=True, confirm=lambda plan: False)
    assert outcome.declined and outcome.report is None and len(outcome.plan.changes) == 2
    assert await kit.live("Template", "intro") is None


async def test_an_empty_plan_is_neither_confirmed_nor_executed(kit):
    await kit.converge(two())
    asked: list[Plan] = []
    outcome = await run(kit, two(), apply=True, confirm=asked.append)
    assert outcome.plan.empty and outcome.report is None and asked == []
    assert not outcome.declined


async def test_annotate_runs_on_a_fresh_plan_before_it_is_shown(kit):
    seen: list[str] = []

    def annotate(plan: Plan) -> None:
        seen.append("annotate")
        plan.changes[0].warnings.append("noted")

    def show(plan: Plan) -> None:
        seen.append(f"show {plan.changes[0].warnings}")

    await run(kit, two(), apply=False, annotate=annotate, show=show)
    assert seen == ["annotate", "show ['noted']"]


async def test_a_saved_plan_is_applied_as_is_without_annotating_it(kit):
    saved = Plan.from_json((await kit.plan(two())).to_json())
    annotated: list[Plan] = []
    outcome = await run(kit, saved, apply=True, annotate=annotated.append)
    assert outcome.plan is saved and annotated == []
    assert [r.status for r in outcome.report.results] == [DONE, DONE]
    assert (await kit.plan(two())).empty


async def test_a_saved_plan_for_another_target_is_refused_naming_both(kit):
    saved = Plan.from_json((await kit.plan(two())).to_json())
    with pytest.raises(PlanFileError) as refused:
        await reconcile(saved, kit.provider, "production", Options(), apply=True)
    assert str(refused.value) == (
        f"the plan was made for target {TARGET!r}, not 'production': "
        "apply it with the same --target"
    )
    assert await kit.live("Template", "intro") is None


async def test_lint_errors_block_the_apply_only_when_asked(kit):
    def with_error(plan: Plan) -> None:
        plan.changes[0].lint.append(dict(ERROR))

    blocking = Options(block_on_lint=True)
    with pytest.raises(LintBlocked, match="refusing to apply: 1 lint error"):
        await run(kit, two(), blocking, apply=True, annotate=with_error)
    assert await kit.live("Template", "intro") is None
    outcome = await run(kit, two(), apply=True, annotate=with_error)
    assert outcome.report.ok


async def test_a_plan_of_lint_errors_is_still_only_planned_without_apply(kit):
    def with_error(plan: Plan) -> None:
        plan.changes[0].lint.append(dict(ERROR))

    outcome = await run(kit, two(), Options(block_on_lint=True), apply=False, annotate=with_error)
    assert len(outcome.plan.changes) == 2 and outcome.report is None


async def test_deletes_are_planned_and_applied_only_with_allow_delete(kit):
    await kit.converge(two())
    demo = await kit.live("Sequence", "demo")
    retired = await run(kit, [template("intro")], apply=False)
    assert "delete" not in [c.action for c in retired.plan.changes]
    deleting = await run(kit, [template("intro")], Options(allow_delete=True), apply=True)
    assert [(c.action, c.id) for c in deleting.plan.changes] == [("delete", demo.id)]
    assert deleting.report.ok and await kit.live("Sequence", "demo") is None


async def test_a_saved_delete_plan_is_refused_without_allow_delete(kit):
    await kit.converge(two())
    saved = (await run(kit, [template("intro")], Options(allow_delete=True), apply=False)).plan
    with pytest.raises(DeleteNotAllowed):
        await run(kit, saved, apply=True)
    assert await kit.live("Sequence", "demo") is not None


async def test_the_change_threshold_refuses_before_confirming_unless_forced(kit):
    templates = [template(f"t{i}", f"Subject {i}") for i in range(4)]
    await kit.converge(templates)
    changed = [template("t0", "Changed"), *templates[1:]]
    strict = SafetyThresholds(max_change_fraction=0.2, min_owned=2)
    asked: list[Plan] = []
    with pytest.raises(TooManyChanges):
        await run(kit, changed, Options(thresholds=strict), apply=True, confirm=asked.append)
    assert asked == []
    outcome = await run(kit, changed, Options(thresholds=strict, force=True), apply=True)
    assert outcome.report.ok


async def test_the_planner_gets_the_thresholds(kit):
    templates = [template(f"t{i}", f"Subject {i}") for i in range(4)]
    await kit.converge(templates)
    changed = [template("t0", "Changed"), *templates[1:]]
    strict = SafetyThresholds(max_change_fraction=0.2, min_owned=2)
    lenient = await run(kit, changed, apply=False)
    assert lenient.plan.violations(strict) and not lenient.plan.violations(SafetyThresholds())
    planned = await run(kit, changed, Options(thresholds=strict), apply=False)
    assert [c.requires for c in planned.plan.changes] == [["--force"]]
    assert [c.requires for c in lenient.plan.changes] == [[]]


async def test_a_selection_plans_only_the_selected_resources(kit):
    outcome = await run(kit, two(), Options(selection=Selection.parse(["Template/*"])), apply=True)
    assert [(c.kind, c.name) for c in outcome.plan.changes] == [("Template", "intro")]
    assert await kit.live("Sequence", "demo") is None
    assert (await kit.live("Template", "intro")).id == outcome.report.results[0].created_id


async def test_the_concurrency_option_bounds_the_changes_in_flight(kit):
    async def events_of(resources, options: Options) -> list[str]:
        events: list[str] = []
        outcome = await run(
            kit,
            resources,
            options,
            apply=True,
            on_start=lambda c: events.append("start"),
            progress=lambda r: events.append("end"),
        )
        assert outcome.report.ok
        return events

    # each request waits long enough that changes in flight overlap even on a loaded machine
    kit.sandbox.latency_ms = 25
    one_at_a_time = await events_of([template(f"a{i}") for i in range(3)], Options(concurrency=1))
    assert one_at_a_time == ["start", "end"] * 3
    together = await events_of([template(f"b{i}") for i in range(3)], Options())
    assert together == ["start"] * 3 + ["end"] * 3
