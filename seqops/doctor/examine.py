"""`examine`: the read-only check of an Outreach account that `seqops doctor` runs.

Requests: one listing of each collection the provider reads (as few pages as `plan` needs:
page[size]=1000, authorization meta riding along on the ones seqops writes) and one count of
sequence states — nothing else, and no write. The report says how many were sent.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from seqops.doctor import shapes
from seqops.doctor.findings import Report
from seqops.providers.base import LiveState, ProviderError
from seqops.providers.outreach import assemble
from seqops.providers.outreach.auth import AuthError
from seqops.providers.outreach.client import ApiError, JsonApiClient
from seqops.providers.outreach.records import SHAPES

WRITTEN = frozenset({"sequences", "templates", "rulesets"})
"""Collections seqops writes: listed with `provideAuthorizationMeta` (canWrite per object)."""
SCOPES = {c: f"{c}.read" for c in (*assemble.COLLECTIONS, "sequenceStates")}
LOW_BUDGET = 0.1
"""Below this share of the rate limit left, a first plan and apply may have to wait."""


async def examine(client: JsonApiClient, target: str) -> Report:
    report = Report(target)
    try:
        listed = await list_collections(client, report)
        if listed is not None:
            await count_states(client, report)
            check_shapes(listed, report)
            inventory(listed, report)
    finally:
        report.requests = client.request_count
    return report


async def list_collections(
    client: JsonApiClient, report: Report
) -> dict[str, list[dict[str, Any]]] | None:
    """Every collection seqops reads, raw; None when authentication fails (nothing else can
    be checked)."""
    listed: dict[str, list[dict[str, Any]]] = {}
    for collection in assemble.COLLECTIONS:
        params = {"provideAuthorizationMeta": "true"} if collection in WRITTEN else None
        try:
            listed[collection] = await client.list_all(collection, params)
        except AuthError as exc:
            report.add("auth", "blocking", f"the token was refused: {exc}")
            return None
        except ApiError as exc:
            scope = SCOPES[collection]
            level = "blocking"
            report.add("scopes", level, f"cannot list {collection} (needs {scope}): {exc}")
            listed[collection] = []
            continue
        if len(listed) == 1:
            report.add("auth", "ok", "the token is accepted")
            rate_limit(client, report)
    if any(f.check == "scopes" for f in report.findings):
        return listed
    report.add("scopes", "ok", "every collection seqops reads can be listed")
    return listed


def rate_limit(client: JsonApiClient, report: Report) -> None:
    headers = client.last_headers
    limit = _number(headers.get("x-ratelimit-limit"))
    remaining = _number(headers.get("x-ratelimit-remaining"))
    reset = _number(headers.get("x-ratelimit-reset"))
    resets_in = None if reset is None else max(reset - int(time.time()), 0)
    report.rate_limit = {"limit": limit, "remaining": remaining, "resetsInSeconds": resets_in}
    if limit is None or remaining is None:
        report.add("rate limit", "warning", "no x-ratelimit-* headers: seqops cannot pace itself")
        return
    when = f", resets in {resets_in} s" if resets_in is not None else ""
    level = "warning" if remaining < limit * LOW_BUDGET else "ok"
    report.add("rate limit", level, f"{remaining} of {limit} requests left{when}")


def _number(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


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


def check_shapes(listed: dict[str, list[dict[str, Any]]], report: Report) -> None:
    read_well = []
    for collection, resources in listed.items():
        type_name = assemble.LISTED[collection].type
        problems = [
            f"{shapes.describe(r)}: {p}"
            for r in resources
            for p in shapes.resource_problems(r, type_name)
        ]
        if problems:
            message = (
                f"{len(problems)} value(s) of {collection} seqops cannot read: it ignores them"
            )
            report.add("shapes", "warning", message, problems)
        else:
            read_well.append(f"{len(resources)} {collection}")
    if read_well:
        report.add("shapes", "ok", f"read as the provider expects: {', '.join(read_well)}")
    unknown = [
        f"{shapes.describe(s)}: stepType {shapes.unknown_step_type(s)}"
        for s in listed.get("sequenceSteps", [])
        if shapes.unknown_step_type(s)
    ]
    if unknown:
        message = "steps of a type manifests cannot express: their sequences cannot be planned"
        report.add("step types", "blocking", message, unknown)
    for collection in ("sequences", "sequenceSteps", "templates", "rulesets", "sequenceTemplates"):
        type_name = assemble.LISTED[collection].type
        resources = listed.get(collection, [])
        unmanaged = shapes.unmanaged_attributes(resources, type_name)
        if unmanaged:
            items = [f"{name} (set on {n})" for name, n in sorted(unmanaged.items())]
            message = f"{type_name} attributes manifests do not manage: apply leaves them alone"
            report.add("unmanaged attributes", "info", message, items)
        nulls = shapes.defaulted_nulls(resources)
        if nulls:
            items = [f"{name} (null on {n})" for name, n in sorted(nulls.items())]
            message = (
                f"{type_name} attributes the API usually fills are null: seqops reads them as "
                "unset, export leaves them out, and a manifest that sets one writes it"
            )
            report.add("nulls", "info", message, items)


def inventory(listed: dict[str, list[dict[str, Any]]], report: Report) -> None:
    not_writable = [
        shapes.describe(r)
        for c in WRITTEN
        for r in listed.get(c, [])
        if isinstance(r, dict) and (r.get("meta") or {}).get("canWrite") is False
    ]
    if not_writable:
        report.add(
            "permissions",
            "blocking",
            "objects this token may not change (authorization meta canWrite: false)",
            not_writable,
        )
    state = live_state(listed, report)
    if state is None:
        return
    variants(state, report)
    twins(state, report)
    adoption(state, report)
    owners(listed, state, report)


def live_state(listed: dict[str, list[dict[str, Any]]], report: Report) -> LiveState | None:
    """The account as `plan` would read it (steps of unknown types left out: reported above)."""
    records = {}
    try:
        for collection, resources in listed.items():
            shape = assemble.LISTED[collection]
            usable = [r for r in resources if isinstance(r, dict) and shapes.is_id(r.get("id"))]
            if collection == "sequenceSteps":
                usable = [r for r in usable if not shapes.unknown_step_type(r)]
            records[collection] = [shape.record(r) for r in usable]
        return assemble.live_state(records)
    except (ProviderError, ValueError, TypeError, KeyError) as exc:
        report.add("read", "blocking", f"seqops cannot read this account: {exc}")
        return None


def variants(state: LiveState, report: Report) -> None:
    found = [
        f"{sequence.display_name!r} (id {sequence.id}) step {i}: {', '.join(step.templates)}"
        for sequence in state.of_kind("Sequence")
        for i, step in enumerate(sequence.resource.spec.steps, 1)
        if len(step.templates or ()) > 1
    ]
    if found:
        report.add(
            "variants",
            "info",
            f"{len(found)} email step(s) send A/B variants: modelled as `templates: [...]`, export writes them and apply keeps them",
            found,
        )


def twins(state: LiveState, report: Report) -> None:
    for kind in ("Sequence", "Template", "Ruleset"):
        names = Counter(o.display_name for o in state.of_kind(kind))
        for name, n in sorted(names.items()):
            if n > 1:
                ids = ", ".join(str(o.id) for o in state.by_display_name(kind, name))
                report.add(
                    "ambiguous names",
                    "warning",
                    f"{n} {kind.lower()}s are named {name!r} (ids {ids}): adoption by name cannot choose; export pins each with metadata.id",
                )


def adoption(state: LiveState, report: Report) -> None:
    for kind in ("Sequence", "Template"):
        untagged = [o for o in state.of_kind(kind) if o.owner is None]
        if untagged:
            items = [f"{o.display_name!r} (id {o.id})" for o in untagged]
            report.add(
                "adoption",
                "info",
                f"{len(untagged)} {kind.lower()}(s) without a seqops tag: after export, the first apply adopts them (adds the tag, changes nothing else)",
                items,
            )
    rulesets = state.of_kind("Ruleset")
    if rulesets:
        report.add(
            "adoption",
            "info",
            f"{len(rulesets)} ruleset(s): rulesets carry no tags and are matched by name",
        )


def owners(listed: dict[str, list[dict[str, Any]]], state: LiveState, report: Report) -> None:
    """Who owns the sequences a first apply would adopt (the owned ones are already managed)."""
    emails = {v: k for k, v in state.users.items()}
    untagged = {o.id for o in state.of_kind("Sequence") if o.owner is None}
    by_owner: Counter[str] = Counter()
    for resource in listed.get("sequences", []):
        readable = isinstance(resource, dict) and shapes.is_id(resource.get("id"))
        if readable and int(resource["id"]) in untagged:
            owner = SHAPES["sequence"].record(resource).related("owner")
            by_owner[emails.get(owner, "no owner") if owner is not None else "no owner"] += 1
    if len(by_owner) > 1:
        items = [f"{email}: {n} sequence(s)" for email, n in sorted(by_owner.items())]
        message = (
            f"the untagged sequences belong to {len(by_owner)} users: adopting them, seqops "
            "changes other people's sequences with this token; agree who owns what first"
        )
        report.add("owners", "warning", message, items)
