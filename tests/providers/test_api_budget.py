"""The plan's API budget: about how many requests apply will send, held against what apply
then sends on the wire, and against the rate limit the API reports."""

from __future__ import annotations

import logging

import pytest

from seqops.apply.executor import apply
from seqops.plan.budget import ApiBudget, duration
from seqops.plan.plan import Plan
from seqops.render.text import TextRenderer
from seqops.sandbox import create_app
from tests.scenarios.kit import Kit, account, call, email, make_provider, sequence, template

pytestmark = pytest.mark.anyio


def kit(**options) -> Kit:
    app = create_app(**options)
    return Kit(app, make_provider(app))


async def sent_by_apply(k: Kit, plan: Plan, **options) -> int:
    before = k.client.request_count
    report = await apply(plan, k.provider, **options)
    assert report.ok, [str(r) for r in report.results]
    return k.client.request_count - before


def close(estimate: int, measured: int) -> bool:
    """Within 10 % (and two requests): an estimate, not a promise."""
    return abs(estimate - measured) <= max(2, measured // 10)


async def test_the_estimate_of_an_apply_from_empty_is_what_it_sends():
    k = kit()
    wanted = [
        *account(),
        *(template(f"t{i}") for i in range(6)),
        *(sequence(f"s{i}", [email(f"t{i}", "0"), call(), email(f"t{i}")]) for i in range(6)),
    ]
    plan = await k.plan(wanted)
    assert plan.budget is not None
    measured = await sent_by_apply(k, plan)
    assert close(plan.budget.requests, measured), (plan.budget.requests, measured)


async def test_the_estimate_of_updates_and_a_replace_is_what_they_send():
    k = kit()
    base = [*account(), template("t"), sequence("s", [email("t", "0"), call()], enabled=True)]
    await k.converge(base)
    edited = [
        *account(),
        template("t", "New subject"),
        sequence("s", [call("1d"), email("t", "0")], enabled=True),  # reordered: a replace
    ]
    for resource in edited:
        if resource.kind == "Sequence" and resource.name == "inbound":
            resource.spec.steps[0].wait = 3600  # an update in place
    plan = await k.plan(edited)
    assert {c.action for c in plan.changes} >= {"update", "replace"}
    assert plan.budget is not None
    measured = await sent_by_apply(k, plan)  # as planned: no flag needed, prospects recounted
    assert close(plan.budget.requests, measured), (plan.budget.requests, measured)


async def test_the_plan_shows_the_estimate_against_what_is_left_this_hour():
    k = kit(rate_limit=10_000)
    plan = await k.plan([template("a"), template("b")])
    budget = plan.budget
    assert budget is not None and budget.limit == 10_000
    assert budget.remaining is not None and 9_980 < budget.remaining < 10_000
    line = f"apply: about 3 requests; {budget.remaining:,} of 10,000 left this hour"
    assert str(budget) == line
    assert line in TextRenderer().render(plan)
    again = Plan.from_json(plan.to_json())  # a saved plan keeps it
    assert again.budget == budget


async def test_an_apply_larger_than_what_is_left_paces_itself_and_says_when_it_ends(caplog):
    k = kit(rate_limit=25, rate_window=1.0)
    wanted = [template(f"t{i}") for i in range(30)]
    plan = await k.plan(wanted)
    budget = plan.budget
    assert budget is not None and budget.requests > (budget.remaining or 0)
    assert "more than is left: apply paces itself across 2 windows" in str(budget)
    assert budget.eta is not None
    caplog.set_level(logging.WARNING, logger="seqops.http")
    report = await apply(plan, k.provider)
    assert report.ok  # paced across windows, never refused
    assert k.provider.client.rate.waited > 0


def test_budget_words():
    assert duration(45) == "less than a minute"
    assert duration(61) == "2 min" and duration(60) == "a minute"
    assert duration(47 * 60) == "47 min"
    assert duration(3600 + 5 * 60) == "1 h 5 min"
    assert duration(7200) == "2 h"
    unknown = ApiBudget(12)
    assert str(unknown) == "apply: about 12 requests"
    assert ApiBudget.from_json(unknown.to_json()) == unknown
