"""Apply-time guards, by behaviour against the sandbox: a change whose dependency failed is not
attempted, and a sequence that gained prospects after the plan is never sent a DELETE."""

from __future__ import annotations

import httpx
import pytest

from seqops.apply.report import DONE, FAILED, NOT_ATTEMPTED
from seqops.config import Secret
from seqops.providers.outreach import JsonApiClient, OutreachProvider, StaticToken
from seqops.sandbox.app import create_app

from .kit import TOKEN, Kit, call, email, sequence, template

pytestmark = pytest.mark.anyio


def statuses(report) -> dict[str, str]:
    return {f"{r.change.action} {r.change.kind}/{r.change.name}": r.status for r in report.results}


async def test_a_sequence_whose_template_change_failed_is_not_attempted(kit):
    await kit.converge([template("intro", "Old subject")])
    wanted = [template("intro", "New subject"), sequence("demo", [email("intro"), call()])]
    plan = await kit.plan(wanted)
    intro = await kit.live("Template", "intro")
    await edit_by_hand(kit, f"/templates/{intro.id}", {"name": "Edited in the UI"})
    report = await kit.apply(plan)
    assert statuses(report) == {
        "update Template/intro": FAILED,
        "create Sequence/demo": NOT_ATTEMPTED,
    }
    assert await kit.live("Sequence", "demo") is None


async def test_a_sequence_that_gained_prospects_is_never_sent_a_delete():
    requests: list[tuple[str, str]] = []
    kit = recording_kit(requests)
    resources = [template("intro"), sequence("old", [email("intro")])]
    await kit.converge(resources)
    plan = await kit.plan([template("intro")], allow_delete=True)
    assert [(c.action, c.name) for c in plan.changes] == [("delete", "old")]
    old = await kit.live("Sequence", "old")
    kit.sandbox.enroll(old.id, n=1, state="paused")
    report = await kit.apply(plan)
    [result] = report.results
    assert result.status == FAILED and "never deleted" in result.reason
    assert ("DELETE", f"/api/v2/sequences/{old.id}") not in requests
    assert (await kit.live("Sequence", "old")).id == old.id
    await kit.provider.aclose()


async def test_the_same_delete_goes_ahead_when_the_sequence_stayed_empty():
    requests: list[tuple[str, str]] = []
    kit = recording_kit(requests)
    await kit.converge([template("intro"), sequence("old", [email("intro")])])
    plan = await kit.plan([template("intro")], allow_delete=True)
    old = await kit.live("Sequence", "old")
    assert [r.status for r in (await kit.apply(plan)).results] == [DONE]
    assert ("DELETE", f"/api/v2/sequences/{old.id}") in requests
    await kit.provider.aclose()


async def edit_by_hand(kit: Kit, path: str, attributes: dict) -> None:
    """Someone edits an object through the raw API (as in Outreach's UI) after the plan."""
    transport = httpx.ASGITransport(app=kit.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ui/api/v2") as ui:
        kind, id = path.strip("/").split("/")
        body = {"data": {"type": kind[:-1], "id": int(id), "attributes": attributes}}
        response = await ui.patch(
            path,
            json=body,
            headers={
                "Authorization": f"Bearer {TOKEN}",
                "Content-Type": "application/vnd.api+json",
            },
        )
        assert response.status_code == 200, response.text


def recording_kit(requests: list[tuple[str, str]]) -> Kit:
    """A kit whose every request (method, path) is appended to `requests`."""
    app = create_app(token=TOKEN)
    transport = httpx.ASGITransport(app=app)

    class Recording(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            requests.append((request.method, request.url.path))
            return await transport.handle_async_request(request)

    http = JsonApiClient(
        "http://sandbox.test/api/v2",
        StaticToken(Secret(TOKEN)),
        transport=Recording(),
        wait_initial=0.001,
        wait_max=0.005,
    )
    return Kit(app, OutreachProvider(http, "recorded sandbox"))
