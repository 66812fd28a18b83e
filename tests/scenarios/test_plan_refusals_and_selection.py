"""`plan` against the sandbox (`seqops.plan.planner.plan`): what it names the target, what it
refuses before anything is written (account names, a replace's version name over the limit)
and how a selection narrows the checks and the changes."""

from __future__ import annotations

import pytest

from seqops.plan.account_checks import AccountCheckError
from seqops.plan.errors import EmptyManifestSet
from seqops.plan.selection import Selection

from .kit import call, email, resource, sequence, template

pytestmark = pytest.mark.anyio

RULE = resource("AutomationRule", "r", {"sequence": 1})
ONLY_TEMPLATES = "only Template/* planned (--select): nothing else is changed or retired"
RULES_SKIPPED = (
    "1 AutomationRule manifest(s) skipped: an Outreach target does not hold them "
    "(plan them against a `provider: coefficy` target)"
)


async def test_the_plan_names_its_target_and_orders_its_changes(kit):
    resources = [sequence("s", [email("intro"), call()]), template("intro")]
    plan = await kit.plan(resources)
    assert (plan.target, plan.target_description) == ("scenario", "scenario sandbox")
    assert [(c.action, c.kind) for c in plan.changes] == [
        ("create", "Template"),
        ("create", "Sequence"),
    ]
    described = await kit.plan(resources, target_description="the prod account")
    assert described.target_description == "the prod account"


async def test_no_manifests_is_refused_before_reading(kit):
    with pytest.raises(EmptyManifestSet) as error:
        await kit.plan([])
    assert str(error.value) == (
        "no manifests were loaded: refusing to plan the retirement of every owned object"
    )


async def test_an_unknown_owner_is_refused_and_nothing_is_written(kit):
    bad = sequence("s", [call()], owner="nobody@example.test")
    with pytest.raises(AccountCheckError) as error:
        await kit.plan([template("intro"), bad])
    [problem] = error.value.problems
    assert (problem.kind, problem.name, problem.path) == ("Sequence", "s", ("spec", "owner"))
    assert await kit.sequences() == []


async def test_a_selection_checks_and_plans_only_what_it_selects(kit):
    bad = sequence("s", [call()], owner="nobody@example.test")
    plan = await kit.plan([template("intro"), bad, RULE], selection=Selection.parse(["Template/*"]))
    assert [(c.action, c.name) for c in plan.changes] == [("create", "intro")]
    assert plan.warnings == [ONLY_TEMPLATES, RULES_SKIPPED]


async def test_a_replace_over_the_display_name_limit_is_refused_before_any_write(kit):
    name = "n" * 252
    before = [sequence("s", [call(), call("1d")], displayName=name)]
    await kit.converge(before)
    with pytest.raises(AccountCheckError) as error:
        await kit.plan([sequence("s", [call("1d")], displayName=name)])
    [problem] = error.value.problems
    assert problem.path == ("spec", "displayName")
    assert "267 characters once it drains in turn ('… (v2, retiring)')" in problem.message
    [live] = await kit.sequences()
    assert live["attributes"]["name"] == name


async def test_a_selected_resource_is_still_checked_against_the_account(kit):
    bad = sequence("s", [call()], owner="nobody@example.test")
    with pytest.raises(AccountCheckError) as error:
        await kit.plan([template("intro"), bad], selection=Selection.parse(["Sequence/*"]))
    assert [p.name for p in error.value.problems] == ["s"]


async def test_a_coefficy_rule_is_never_held_to_the_outreach_apis_limits(kit):
    big = resource("AutomationRule", "big", {"sequence": 2**31})
    plan = await kit.plan([template("intro"), big])
    assert [(c.action, c.name) for c in plan.changes] == [("create", "intro")]
    assert plan.warnings == [RULES_SKIPPED]
