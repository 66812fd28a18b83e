"""Fixtures for export tests: live objects built as a provider reads them, and the sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from seqops.config import Secret
from seqops.manifest.models import manifest_adapter
from seqops.providers.base import LiveObject, LiveState, LiveStep
from seqops.providers.outreach import JsonApiClient, OutreachProvider, StaticToken
from seqops.sandbox.app import create_app

TOKEN = "sandbox-token"
BASE = "http://sandbox.invalid/api/v2"


def live(
    kind: str,
    id: int,
    spec: dict[str, Any],
    *,
    name: str | None = None,
    owner: str | None = None,
    template_ids: list[int | None] | None = None,
) -> LiveObject:
    """A live object as the provider normalises it (name: owner key, else given or `<kind>-<id>`)."""
    data = {
        "apiVersion": "seqops/v1",
        "kind": kind,
        "metadata": {"name": owner or name or f"{kind.lower()}-{id}", "id": id},
        "spec": spec,
    }
    resource = manifest_adapter.validate_python(data)
    steps = [
        LiveStep(id=id * 100 + order, order=order, template_id=template)
        for order, template in enumerate(template_ids or [], start=1)
    ]
    return LiveObject(resource, id, updated_at="2024-01-01T00:00:00.000Z", owner=owner, steps=steps)


@pytest.fixture
def make_live() -> Callable[..., LiveObject]:
    return live


def read_state(app: Any) -> tuple[LiveState, JsonApiClient]:
    """The account behind `app`, read once through the real provider."""

    async def read() -> tuple[LiveState, JsonApiClient]:
        transport = httpx.ASGITransport(app=app)
        client = JsonApiClient(BASE, StaticToken(Secret(TOKEN)), transport=transport)
        provider = OutreachProvider(client)
        try:
            return await provider.read(), client
        finally:
            await provider.aclose()

    return asyncio.run(read())


@pytest.fixture
def reader() -> Callable[[Any], tuple[LiveState, JsonApiClient]]:
    return read_state


@pytest.fixture
def demo_app() -> Any:
    return create_app(demo=True)


# --- a hand-made account with every writable attribute away from its default ------------------

HTML = (
    "<p>Bonjour {{first_name}} 👋</p>\n"
    "<p>Ça vous dit? 日本語 — «offre spéciale»\u00a0🎁</p>\n"
    "<p>Line with trailing space </p>"
)


class Api:
    """Raw JSON:API writes, as an Outreach user clicking around would leave the account."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def find(self, path: str, attr: str, value: str) -> int:
        response = await self.client.get(f"/{path}", params={f"filter[{attr}]": value})
        return int(response.json()["data"][0]["id"])

    async def create(self, path: str, type_: str, attributes: dict, **rels: tuple[str, int]) -> int:
        relationships = {k: {"data": {"type": t, "id": i}} for k, (t, i) in rels.items()}
        body = {"data": {"type": type_, "attributes": attributes, "relationships": relationships}}
        response = await self.client.post(f"/{path}", json=body)
        assert response.status_code == 201, response.text
        return int(response.json()["data"]["id"])

    async def step(
        self,
        sequence: int,
        attributes: dict,
        template: int | None = None,
        *,
        is_reply: bool = False,
        **rels,
    ) -> int:
        step = await self.create(
            "sequenceSteps", "sequenceStep", attributes, sequence=("sequence", sequence), **rels
        )
        if template is not None:
            await self.create(
                "sequenceTemplates",
                "sequenceTemplate",
                {"isReply": is_reply},
                sequenceStep=("sequenceStep", step),
                template=("template", template),
            )
        return step

    async def enable(self, sequence: int) -> None:
        response = await self.client.post(f"/sequences/{sequence}/actions/enable")
        assert response.status_code < 300, response.text


async def build_rich_account(app: Any) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/vnd.api+json"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers) as client:
        await _populate(Api(client))


async def _populate(api: Api) -> None:
    riley = await api.find("users", "email", "riley.rep@example.com")
    stage = {
        n: await api.find("stages", "name", n)
        for n in ("Replied", "Interested", "Unresponsive", "Do Not Contact")
    }
    high = ("taskPriority", await api.find("taskPriorities", "name", "high"))
    low = ("taskPriority", await api.find("taskPriorities", "name", "low"))
    ruleset = await api.create(
        "rulesets", "ruleset",
        {"name": "Strict rules ✓", "applyCompletedStageIn": 259200, "autoResumeOotoProspects": True,
         "autoResumeOotoProspectsExpiresIn": 1209600, "autoResumeOotoProspectsIn": 86400,
         "callOptOutAction": "stop", "clicksNeededBeforeCallTaskCreated": 2, "emailOptOutAction": "fin",
         "includeUnsubscribeLinks": True, "meetingBookedAction": "finish", "minimumProspectTouchedInterval": 5400,
         "ootoAutoExtractionEnabled": True, "opensNeededBeforeCallTaskCreated": 3, "permitDuplicateProspects": "allow",
         "sequenceExclusivity": "exclusive_sequences", "smsOptOutAction": "opt", "smsReceivedAction": "pause",
         "stepOverridesEnabled": True},
        bouncedStage=("stage", stage["Do Not Contact"]), completedStage=("stage", stage["Unresponsive"]),
        deliveredStage=("stage", stage["Unresponsive"]), finishedStage=("stage", stage["Unresponsive"]),
        optedOutStage=("stage", stage["Do Not Contact"]), repliedStage=("stage", stage["Replied"]),
        startedStage=("stage", stage["Interested"]), callTaskPriority=high,
        callTaskPriorityFromClicks=low, callTaskPriorityFromOpens=high,
    )  # fmt: skip
    special = await api.create(
        "templates", "template",
        {"name": "Prix spécial 🎁", "subject": "🎁 Une offre pour {{company}}", "bodyHtml": HTML,
         "trackOpens": False, "trackLinks": False, "shareType": "read_only", "archived": True,
         "tags": ["promo", "fr"], "toRecipients": ["ops@example.com"], "ccRecipients": ["cc@example.com"],
         "bccRecipients": ["audit@example.com"]},
        owner=("user", riley),
    )  # fmt: skip
    shared = await api.create(
        "templates",
        "template",
        {"name": "Shared follow-up", "subject": "yes", "bodyHtml": "<p>Still there?</p>"},
    )
    everything = await api.create(
        "sequences", "sequence",
        {"name": "Everything set", "description": "Every attribute away from its default.",
         "scheduleIntervalType": "schedule", "shareType": "private", "tags": ["vip", "q3"],
         "salesMotion": "outbound", "primaryReplyAction": "pause", "primaryReplyPauseDuration": 604800,
         "secondaryReplyAction": "pause", "secondaryReplyPauseDuration": 7200, "throttleCapacity": 50,
         "throttleMaxAddsPerDay": 20, "throttlePaused": True, "transactional": True, "maxActivations": 500},
        owner=("user", riley), ruleset=("ruleset", ruleset),
    )  # fmt: skip
    await api.step(everything, {"stepType": "auto_email", "interval": 0}, special, taskPriority=low)
    await api.step(
        everything, {"stepType": "manual_email", "interval": 90000}, shared, is_reply=True
    )
    await api.step(
        everything,
        {
            "stepType": "call",
            "interval": 172800,
            "taskNote": "Ask about Q3",
            "taskAutoskipDelay": 86400,
        },
        taskPriority=high,
    )
    await api.step(
        everything,
        {"stepType": "task", "interval": 3600, "taskNote": "LinkedIn 🤝"},
        taskPriority=low,
    )
    await api.enable(everything)
    launch = await api.create(
        "sequences",
        "sequence",
        {"name": "Launch day 🚀", "sequenceType": "date", "maxActivations": 9},
    )
    await api.step(launch, {"stepType": "auto_email", "date": "2031-01-05"}, shared)
    await api.step(launch, {"stepType": "call", "date": "2031-01-06"})
    for _ in range(2):
        twin = await api.create("sequences", "sequence", {"name": "Twin"})
        await api.step(twin, {"stepType": "call", "interval": 0})
    draft = await api.create("sequences", "sequence", {"name": "No template yet"})
    await api.step(draft, {"stepType": "auto_email", "interval": 0})
    odd = await api.create("sequences", "sequence", {"name": "Reply to nothing"})
    await api.step(odd, {"stepType": "call", "interval": 0})
    await api.step(odd, {"stepType": "auto_email", "interval": 0}, shared, is_reply=True)


@pytest.fixture
def rich_app() -> Any:
    app = create_app(demo=True)
    asyncio.run(build_rich_account(app))
    return app
