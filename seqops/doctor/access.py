"""Access checks: the token, the read scopes of each collection seqops lists, the rate-limit
budget, and the `meta.count` impact counting needs. The listings are kept for the others."""

from __future__ import annotations

import math
from typing import Any

from seqops.doctor.findings import Report
from seqops.providers.outreach import assemble
from seqops.providers.outreach.auth import AuthError
from seqops.providers.outreach.client import ApiError, JsonApiClient
from seqops.providers.outreach.ratelimit import seconds_until_reset

WRITTEN = frozenset({"sequences", "templates", "rulesets"})
"""Collections seqops writes: listed with `provideAuthorizationMeta` (canWrite per object)."""
SCOPES = {c: f"{c}.read" for c in (*assemble.COLLECTIONS, "sequenceStates")}
LOW_BUDGET = 0.1
"""Below this share of the rate limit left, a first plan and apply may have to wait."""


async def list_collections(
    client: JsonApiClient, report: Report
) -> dict[str, list[dict[str, Any]]] | None:
    """Every collection seqops reads, raw; None when authentication fails (nothing else can
    be checked)."""
    listed: dict[str, list[dict[str, Any]]] = {}
    accepted = False
    for collection in assemble.COLLECTIONS:
        params = {"provideAuthorizationMeta": "true"} if collection in WRITTEN else None
        try:
            listed[collection] = await client.list_all(collection, params)
        except AuthError as exc:
            report.add("auth", "blocking", f"the token was refused: {exc}")
            return None
        except ApiError as exc:
            message = f"cannot list {collection} (needs {SCOPES[collection]}): {exc}"
            report.add("scopes", "blocking", message)
            listed[collection] = []
            continue
        if not accepted:
            accepted = True
            report.add("auth", "ok", "the token is accepted")
            rate_limit(client, report)
    if any(f.check == "scopes" for f in report.findings):
        return listed
    report.add("scopes", "ok", "every collection seqops reads can be listed")
    return listed


def rate_limit(client: JsonApiClient, report: Report) -> None:
    """The hourly window's budget (the first of `x-ratelimit-remaining`'s two values) and its
    reset; a reset already past by this machine's clock says the clocks differ."""
    budget = client.budget
    reset = seconds_until_reset(client.last_headers)
    resets_in = None if budget.resets_in is None else math.ceil(budget.resets_in)
    report.rate_limit = {
        "limit": budget.limit,
        "remaining": budget.remaining,
        "resetsInSeconds": resets_in,
    }
    if budget.limit is None or budget.remaining is None:
        report.add("rate limit", "warning", "no x-ratelimit-* headers: seqops cannot pace itself")
        return
    when = f", resets in {resets_in} s" if resets_in is not None else ""
    if reset is not None and reset < 0:
        when = (
            f", its reset {-reset:.0f} s in the past by this machine's clock (the clocks "
            "differ: a 429 then backs off instead of waiting for the reset)"
        )
    level = "warning" if budget.remaining < budget.limit * LOW_BUDGET else "ok"
    message = f"{budget.remaining} of {budget.limit} requests left this hour{when}"
    report.add("rate limit", level, message)


async def count_states(client: JsonApiClient, report: Report) -> None:
    """Impact counts use `meta.count` of sequenceStates: one request proves it works."""
    try:
        count = await client.count("/sequenceStates")
    except ApiError as exc:
        report.add(
            "impact",
            "blocking",
            f"cannot count sequence states ({SCOPES['sequenceStates']}): {exc}",
        )
        return
    report.add(
        "impact", "ok", f"{count} sequence states: plans can count the prospects a change reaches"
    )
