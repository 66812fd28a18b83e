"""Putting sandbox prospects into a sequence over the API (`seqops sandbox enroll`).

Works against any sandbox, embedded or served, and refuses anything else: the sandbox marks its
responses with `SANDBOX_HEADER`, which Outreach never sends, so a real account (where an
enrolment emails real people) is never touched. Each enrolment is a `POST /sequenceStates` the
sandbox checks against the seed's rules; a refusal skips that prospect and is counted per rule.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from seqops.manifest.names import slugify
from seqops.providers.base import ProviderError
from seqops.providers.outreach.client import ApiError, JsonApiClient
from seqops.providers.outreach.mapping import attributes, linkage, owner_key, related_id

SANDBOX_HEADER = "x-seqops-sandbox"
STATES = ("active", "paused")
LIST_FIELDS = {"fields[sequence]": "name,tags,enabled,owner"}
RULE = re.compile(r"Validation Error: (\w+): ")


class EnrolError(ProviderError):
    """Nothing was enrolled: not a sandbox, no such sequence, an ambiguous name, ..."""


@dataclass(frozen=True)
class Match:
    """The sequence SEQUENCE named, and how: "metadata name", "display name" or "id"."""

    id: int
    name: str
    enabled: bool
    owner: int | None
    by: str


@dataclass
class Enrolment:
    sequence: Match
    state: str
    enrolled: list[int] = field(default_factory=list)
    skipped: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    """Prospect ids the rules refused, per rule (`permitDuplicateProspects`, ...)."""
    reasons: dict[str, str] = field(default_factory=dict)
    """The API's detail of one refusal per rule."""

    @property
    def pending(self) -> bool:
        """A disabled sequence: its new states wait for it to be enabled."""
        return not self.sequence.enabled


async def enrol(client: JsonApiClient, reference: str, count: int, state: str) -> Enrolment:
    """Enrol up to `count` prospects not yet in the sequence `reference` names."""
    if state not in STATES:
        raise EnrolError(f"--state must be one of {', '.join(STATES)}, not {state!r}")
    sequences = await client.list_all("/sequences", LIST_FIELDS)
    if SANDBOX_HEADER not in client.last_headers:
        raise EnrolError(
            f"{client.base_url} is not a seqops sandbox: `sandbox enroll` adds prospects only to "
            "the embedded sandbox or one run by `seqops sandbox serve`, never to a real account"
        )
    match = find_sequence(sequences, reference)
    if state == "paused" and not match.enabled:
        raise EnrolError(
            f"sequence {match.name!r} (id {match.id}) is disabled: its prospects wait as "
            "pending, and only active ones can be paused; enable it first, or use --state active"
        )
    result = Enrolment(match, state)
    mailbox = await mailbox_of(client, match.owner)
    for prospect in await free_prospects(client, match.id):
        if len(result.enrolled) >= count:
            break
        await enrol_one(client, result, prospect, mailbox)
    return result


def find_sequence(sequences: list[dict[str, Any]], reference: str) -> Match:
    """The one sequence `reference` names: by metadata name (ownership tag, else the slug
    export would give it), display name, or id, in that order. Two of one kind is an error."""
    for by, key in (
        ("metadata name", lambda s: owner_key(attributes(s).get("tags"))),
        ("display name", lambda s: attributes(s).get("name")),
        ("id", lambda s: str(s["id"])),
        ("metadata name", lambda s: slugify(attributes(s).get("name") or "")),
    ):
        found = [s for s in sequences if key(s) == reference]
        if len(found) > 1:
            ids = ", ".join(str(s["id"]) for s in found)
            raise EnrolError(
                f"{len(found)} sequences have the {by} {reference!r} (ids {ids}): pass the id"
            )
        if found:
            (sequence,) = found
            attrs = attributes(sequence)
            return Match(
                int(sequence["id"]),
                attrs.get("name") or "",
                bool(attrs.get("enabled")),
                related_id(sequence, "owner"),
                by,
            )
    raise EnrolError(f"no sequence has the metadata name, display name or id {reference!r}")


async def mailbox_of(client: JsonApiClient, user: int | None) -> int:
    """The sending mailbox: the sequence owner's, else the account's first."""
    params = {"filter[user][id]": user} if user is not None else {}
    found = await client.get("/mailboxes", {**params, "page[size]": 1})
    if not found.get("data") and params:
        found = await client.get("/mailboxes", {"page[size]": 1})
    if not found.get("data"):
        raise EnrolError("the sandbox has no mailbox to send from")
    return int(found["data"][0]["id"])


async def free_prospects(client: JsonApiClient, sequence_id: int) -> list[int]:
    """Prospect ids not in the sequence yet, in id order (one listing of each)."""
    states = await client.list_all(
        "/sequenceStates",
        {"filter[sequence][id]": sequence_id, "fields[sequenceState]": "prospect"},
    )
    taken = {related_id(s, "prospect") for s in states}
    prospects = await client.list_all("/prospects", {"fields[prospect]": "name", "sort": "id"})
    return [int(p["id"]) for p in prospects if int(p["id"]) not in taken]


async def enrol_one(client: JsonApiClient, result: Enrolment, prospect: int, mailbox: int) -> None:
    relationships = {
        "prospect": linkage("prospect", prospect),
        "sequence": linkage("sequence", result.sequence.id),
        "mailbox": linkage("mailbox", mailbox),
    }
    body = {"data": {"type": "sequenceState", "relationships": relationships}}
    try:
        created = await client.post("/sequenceStates", body)
    except ApiError as exc:
        if exc.status != 422:
            raise
        rules = RULE.findall(str(exc))
        if not rules:
            raise  # not an enrolment rule: a real problem, not a skip
        rule = " + ".join(sorted(set(rules)))
        result.skipped[rule].append(prospect)
        result.reasons.setdefault(rule, str(exc).split(": 422 ", 1)[-1])
        return
    if result.state == "paused":
        await client.action(f"/sequenceStates/{created['data']['id']}/actions/pause")
    result.enrolled.append(prospect)
