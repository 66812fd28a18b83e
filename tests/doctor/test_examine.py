"""`examine` against an API played by `httpx.MockTransport`: what the sandbox cannot produce
(refused scopes, canWrite false, values of the wrong type, missing rate-limit headers)."""

from __future__ import annotations

import asyncio
import copy

import httpx

from seqops.config import Secret
from seqops.doctor import examine
from seqops.providers.outreach import JsonApiClient, StaticToken

RATE = {"x-ratelimit-limit": "10000", "x-ratelimit-remaining": "9000", "x-ratelimit-reset": "0"}


def one(type_name: str, id: int) -> dict:
    return {"data": {"type": type_name, "id": id}}


ACCOUNT = {
    "users": [{"type": "user", "id": 1, "attributes": {"email": "ana@example.com"}}],
    "stages": [],
    "taskPriorities": [],
    "rulesets": [],
    "templates": [
        {"type": "template", "id": 5, "attributes": {"name": "Intro", "tags": ["seqops:intro"]}}
    ],
    "sequences": [
        {
            "type": "sequence",
            "id": 6,
            "attributes": {"name": "Inbound", "tags": ["seqops:inbound"], "enabled": True},
            "relationships": {
                "owner": one("user", 1),
                "sequenceSteps": [one("sequenceStep", 8)],  # the OpenAPI file's array form
                "mailings": {"links": {"related": "https://x/mailings?filter[sequence][id]=6"}},
            },
            "meta": {"canWrite": True},
        }
    ],
    "sequenceSteps": [
        {
            "type": "sequenceStep",
            "id": 8,
            "attributes": {"stepType": "call", "order": 1, "interval": 0},
            "relationships": {"sequence": one("sequence", 6)},
        }
    ],
    "sequenceTemplates": [],
}


def serve(account: dict, *, headers: dict | None = None, refuse: dict | None = None, seen=None):
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request.method)
        collection = request.url.path.rsplit("/", 1)[-1]
        if collection in (refuse or {}):
            status = refuse[collection]
            error = {"id": "forbidden", "title": "Forbidden", "detail": "scope missing"}
            return httpx.Response(status, json={"errors": [error]}, headers=headers)
        if collection == "sequenceStates":
            return httpx.Response(200, json={"data": [], "meta": {"count": 0}}, headers=headers)
        return httpx.Response(200, json={"data": account[collection]}, headers=headers)

    return httpx.MockTransport(handler)


def run(transport: httpx.MockTransport):
    async def go():
        auth = StaticToken(Secret("mock-token"))
        client = JsonApiClient("https://mock.test/api/v2", auth, transport=transport, attempts=1)
        try:
            return await examine(client, "mock")
        finally:
            await client.aclose()

    return asyncio.run(go())


def by_check(report) -> dict[str, list]:
    found: dict[str, list] = {}
    for f in report.findings:
        found.setdefault(f.check, []).append(f)
    return found


def test_a_well_formed_account_in_either_relationship_form_passes():
    seen: list[str] = []
    report = run(serve(ACCOUNT, headers=RATE, seen=seen))
    assert not report.blocking, report.findings
    assert report.requests == 9 and set(seen) == {"GET"}
    assert report.rate_limit == {"limit": 10000, "remaining": 9000, "resetsInSeconds": 0}
    assert [f.level for f in by_check(report)["shapes"]] == ["ok"]


def test_values_of_the_wrong_shape_are_named():
    account = copy.deepcopy(ACCOUNT)
    account["sequenceSteps"][0]["attributes"]["order"] = "first"
    account["sequences"][0]["relationships"]["owner"] = 1
    account["templates"][0]["attributes"]["tags"] = "seqops:intro"
    report = run(serve(account, headers=RATE))
    # plan refuses to work from them (the provider checks the same shapes): they block
    found = [i for f in by_check(report)["shapes"] if f.level == "blocking" for i in f.items]
    assert (
        "sequenceStep (id 8): attributes.order as a string where seqops reads an integer" in found
    )
    assert (
        "sequence 'Inbound' (id 6): relationships.owner as the number 1 where seqops reads an object"
        in found
    )
    assert (
        "template 'Intro' (id 5): attributes.tags as a string where seqops reads a list of strings"
        in found
    )


def test_objects_the_token_may_not_change_block():
    account = copy.deepcopy(ACCOUNT)
    account["sequences"][0]["meta"] = {"canWrite": False}
    report = run(serve(account, headers=RATE))
    (blocked,) = report.blocking
    assert blocked.check == "permissions"
    assert blocked.items == ("sequence 'Inbound' (id 6)",)


def test_a_collection_the_token_cannot_list_blocks_and_names_the_scope():
    report = run(serve(ACCOUNT, headers=RATE, refuse={"taskPriorities": 403}))
    (blocked,) = report.blocking
    assert blocked.check == "scopes" and "taskPriorities.read" in blocked.message


def test_a_refused_token_stops_after_one_request():
    report = run(serve(ACCOUNT, headers=RATE, refuse={"templates": 401}))
    (blocked,) = report.blocking
    assert blocked.check == "auth" and report.requests == 1


def test_missing_or_low_rate_limit_budget_is_a_warning():
    report = run(serve(ACCOUNT))
    assert by_check(report)["rate limit"][0].level == "warning"
    low = RATE | {"x-ratelimit-remaining": "20"}
    report = run(serve(ACCOUNT, headers=low))
    (finding,) = by_check(report)["rate limit"]
    assert finding.level == "warning" and finding.message.startswith("20 of 10000")
    assert not report.blocking
