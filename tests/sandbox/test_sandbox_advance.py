"""Time passing in the sandbox (`seqops.sandbox.advance`): active prospects of enabled
sequences go through the steps that fall due, by waits or dates, with counters recorded from a
seeded model, and finish after the last step; paused, pending and disabled ones stay; the
clock (and every timestamp after) moves."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from seqops.sandbox.advance import PATH, advance
from seqops.sandbox.app import create_app
from seqops.sandbox.middleware import CLOCK_HEADER
from tests.scenarios.kit import Kit, call, email, make_provider, sequence, template

pytestmark = pytest.mark.anyio
DAY = 86_400


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def steps_3d_cadence():
    """Email now, call after 1d, email 2d after that: 3 days in all."""
    return [email("intro", "0"), call("1d"), email("follow", "2d")]


async def account(kit: Kit, enabled: bool = True, steps=None, **spec) -> int:
    resources = [
        template("intro"),
        template("follow"),
        sequence("s", steps or steps_3d_cadence(), enabled=enabled, **spec),
    ]
    await kit.converge(resources)
    return (await kit.live("Sequence", "s")).id


async def states(kit: Kit, sequence_id: int) -> list[dict]:
    return await kit.client.list_all("/sequenceStates", {"filter[sequence][id]": sequence_id})


async def step_ids(kit: Kit, sequence_id: int) -> list[int]:
    listed = await kit.client.list_all("/sequenceSteps", {"filter[sequence][id]": sequence_id})
    return [int(s["id"]) for s in sorted(listed, key=lambda s: s["attributes"]["order"])]


def at_step(state: dict) -> int | None:
    data = state["relationships"]["sequenceStep"]["data"]
    return None if data is None else int(data["id"])


@pytest.fixture
async def kit():
    app = create_app(token="sandbox-token", seed=3)
    kit = Kit(app, make_provider(app))
    yield kit
    await kit.provider.aclose()


async def test_active_prospects_move_step_by_step_as_their_waits_pass(kit):
    sid = await account(kit)
    kit.sandbox.enroll(sid, 2)
    steps = await step_ids(kit, sid)
    first = advance(kit.sandbox.store, DAY // 2)  # the email (wait 0) is due, the call not yet
    assert (first.steps_fired, first.delivered, first.finished) == (2, 2, 0)
    assert [at_step(s) for s in await states(kit, sid)] == [steps[1], steps[1]]
    advance(kit.sandbox.store, DAY)  # the call (1d after the email)
    assert [at_step(s) for s in await states(kit, sid)] == [steps[2], steps[2]]
    last = advance(kit.sandbox.store, 2 * DAY)  # the follow-up: then they are done
    assert (last.steps_fired, last.delivered, last.finished) == (2, 2, 2)
    assert {s["attributes"]["state"] for s in await states(kit, sid)} == {"finished"}


async def test_a_long_advance_runs_every_step_due_at_once_and_finishes_them(kit):
    sid = await account(kit)
    kit.sandbox.enroll(sid, 3)
    done = advance(kit.sandbox.store, 7 * DAY)
    assert (done.steps_fired, done.delivered, done.finished) == (9, 6, 3)
    [finished] = {s["attributes"]["stateChangedAt"] for s in await states(kit, sid)}
    enrolled = datetime.fromisoformat(
        (await states(kit, sid))[0]["attributes"]["createdAt"].replace("Z", "+00:00")
    )
    at = datetime.fromisoformat(finished.replace("Z", "+00:00"))
    assert at - enrolled == timedelta(days=3)  # when the last step fell due, not "now"


async def test_deliveries_opens_and_replies_land_on_every_counter_deterministically(kit):
    sid = await account(kit)
    kit.sandbox.enroll(sid, 20)
    advance(kit.sandbox.store, 7 * DAY)
    templates = {
        t["attributes"]["name"]: t["attributes"] for t in await kit.client.list_all("/templates")
    }
    steps = {
        s["attributes"]["order"]: s["attributes"]
        for s in await kit.client.list_all("/sequenceSteps")
    }
    [seq] = [s["attributes"] for s in await kit.sequences()]
    bindings = [b["attributes"] for b in await kit.client.list_all("/sequenceTemplates")]
    assert templates["intro"]["deliverCount"] == steps[1]["deliverCount"] == 20
    assert templates["follow"]["deliverCount"] == steps[3]["deliverCount"] == 20
    assert steps[2]["deliverCount"] == 0  # a call delivers no email
    assert seq["deliverCount"] == 40 == sum(b["deliverCount"] for b in bindings)
    opened = templates["intro"]["openCount"] + templates["follow"]["openCount"]
    assert seq["openCount"] == opened and 0 < opened < 40  # a model, not everyone
    assert seq["replyCount"] == sum(s["replyCount"] for s in steps.values())
    per_state = [s["attributes"]["deliverCount"] for s in await states(kit, sid)]
    assert per_state == [2] * 20


async def test_the_same_seed_gives_the_same_figures_and_another_seed_others():
    async def opens(seed: int) -> list[int]:
        app = create_app(token="sandbox-token", seed=seed)
        kit = Kit(app, make_provider(app))
        sid = await account(kit)
        kit.sandbox.enroll(sid, 20)
        advance(kit.sandbox.store, 7 * DAY, seed=seed)
        found = [t["attributes"]["openCount"] for t in await kit.client.list_all("/templates")]
        await kit.provider.aclose()
        return found

    assert await opens(1) == await opens(1)
    assert await opens(1) != await opens(2)


async def test_paused_pending_and_disabled_prospects_stay_where_they_are(kit):
    sid = await account(kit)
    kit.sandbox.enroll(sid, 2, "paused")
    off = await account_named(kit, "off", enabled=False)
    kit.sandbox.enroll(off, 2, "pending")  # a disabled sequence: pending
    done = advance(kit.sandbox.store, 30 * DAY)
    assert done.steps_fired == 0
    assert {s["attributes"]["state"] for s in await states(kit, sid)} == {"paused"}
    assert {s["attributes"]["state"] for s in await states(kit, off)} == {"pending"}
    [first] = (await step_ids(kit, sid))[:1]
    assert {at_step(s) for s in await states(kit, sid)} == {first}


async def account_named(kit: Kit, name: str, enabled: bool) -> int:
    resources = [
        template("intro"),
        template("follow"),
        sequence("s", steps_3d_cadence(), enabled=True),
        sequence(name, steps_3d_cadence(), enabled=enabled),
    ]
    await kit.converge(resources)
    return (await kit.live("Sequence", name)).id


async def test_pending_prospects_start_from_when_their_sequence_is_enabled(kit):
    sid = await account(kit, enabled=False)
    kit.sandbox.enroll(sid, 1, "pending")
    advance(kit.sandbox.store, 10 * DAY)  # disabled: nothing moves
    await kit.client.action(f"/sequences/{sid}/actions/enable")
    assert advance(kit.sandbox.store, DAY // 2).steps_fired == 1  # only the first email
    assert advance(kit.sandbox.store, 3 * DAY).finished == 1


async def test_disabling_stops_active_prospects_where_they_are_and_enabling_resumes_them(kit):
    sid = await account(kit)
    kit.sandbox.enroll(sid, 2)
    kit.sandbox.enroll(sid, 1, "paused")
    steps = await step_ids(kit, sid)
    advance(kit.sandbox.store, DAY // 2)  # the first email: the active two wait at the call
    await kit.client.action(f"/sequences/{sid}/actions/disable")
    by_state = sorted((s["attributes"]["state"], at_step(s)) for s in await states(kit, sid))
    assert by_state == [("disabled", steps[1]), ("disabled", steps[1]), ("paused", steps[0])]
    assert advance(kit.sandbox.store, 30 * DAY).steps_fired == 0
    [paused] = [s for s in await states(kit, sid) if s["attributes"]["state"] == "paused"]
    await kit.client.action(f"/sequenceStates/{paused['id']}/actions/resume")
    assert {s["attributes"]["state"] for s in await states(kit, sid)} == {"disabled"}
    await kit.client.action(f"/sequences/{sid}/actions/enable")
    assert {s["attributes"]["state"] for s in await states(kit, sid)} == {"active"}
    assert advance(kit.sandbox.store, 7 * DAY).finished == 3


async def test_date_steps_fire_on_their_day(kit):
    now = kit.sandbox.store.clock.moment()
    days = [(now + timedelta(days=n)).date().isoformat() for n in (2, 5)]
    dated = [
        {"type": "call", "date": days[0]},
        {"type": "auto_email", "date": days[1], "template": "intro"},
    ]
    sid = await account(kit, steps=dated, sequenceType="date")
    kit.sandbox.enroll(sid, 1)
    assert advance(kit.sandbox.store, DAY).steps_fired == 0
    assert advance(kit.sandbox.store, 2 * DAY).steps_fired == 1  # day 3: the call's day passed
    assert advance(kit.sandbox.store, 3 * DAY).finished == 1


async def test_the_clock_moves_for_every_later_write_and_every_response(kit):
    before = kit.sandbox.store.clock.moment()
    advance(kit.sandbox.store, 10 * DAY)
    await kit.converge([template("later")])
    [made] = await kit.client.list_all("/templates")
    created = datetime.fromisoformat(made["attributes"]["createdAt"].replace("Z", "+00:00"))
    assert created - before >= timedelta(days=10) - timedelta(seconds=1)
    said = datetime.fromisoformat(kit.client.last_headers[CLOCK_HEADER].replace("Z", "+00:00"))
    assert said - datetime.now(UTC) >= timedelta(days=10) - timedelta(minutes=1)


async def test_the_clock_offset_outlives_the_process(tmp_path):
    db = str(tmp_path / "sandbox.db")
    first = create_app(db=db)
    advance(first.state.sandbox.store, 5 * DAY)
    first.state.sandbox.close()
    again = create_app(db=db).state.sandbox
    assert again.store.clock.offset == timedelta(days=5)
    again.close()


def post(app, body: object, **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    sent = {"authorization": "Bearer sandbox-token", "content-type": "application/vnd.api+json"}

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://sb.test") as http:
            return await http.post(PATH, content=json.dumps(body), headers={**sent, **headers})

    import asyncio

    return asyncio.run(go())


@pytest.mark.parametrize(
    "body", [{}, {"meta": {}}, {"meta": {"seconds": 0}}, {"meta": {"seconds": -5}},
             {"meta": {"seconds": "3d"}}, {"meta": {"seconds": True}}, [], "x"],
)  # fmt: skip
def test_the_endpoint_refuses_what_is_not_a_whole_positive_number_of_seconds(body):
    answer = post(create_app(), body)
    assert answer.status_code == 400
    assert "meta.seconds" in answer.json()["errors"][0]["detail"]


def test_the_endpoint_needs_the_token_and_a_json_api_body():
    app = create_app()
    assert post(app, {"meta": {"seconds": 60}}, authorization="Bearer nope").status_code == 401
    assert post(app, {"meta": {"seconds": 60}}, **{"content-type": "text/plain"}).status_code == 415
    done = post(app, {"meta": {"seconds": 60}}).json()["meta"]
    assert done["seconds"] == 60 and done["steps_fired"] == 0 and done["now"].endswith("Z")
