"""The seed's enrolment rules, checked on `POST /sequenceStates` (outreach-ruleset.txt,
outreach-sequence.txt). Each refusal is a 422 item whose detail starts with the rule's name and
whose `meta.rule` names it too, so a client can say why a prospect was skipped.

- `permitDuplicateProspects` (the sequence's ruleset; "disallow" without one): "disallow"
  refuses a prospect already in the sequence, "only_if_inactive" one whose state there is still
  active, paused, pending or disabled, "allow" neither.
- `sequenceExclusivity`: "all_sequences" refuses a prospect active in any other sequence, and a
  prospect active in an "all_sequences" sequence cannot join any other; "exclusive_sequences"
  refuses a prospect active in another "exclusive_sequences" sequence; "none" adds nothing.
- Opt-outs: a non-`transactional` sequence refuses a prospect opted out of email
  (`emailOptedOut` or `optedOut`) unless its ruleset's `emailOptOutAction` is "add", and one
  opted out of calls (`callOptedOut` or `optedOut`) when it has call steps unless
  `callOptOutAction` is "add". The seed gives these 4-character fields no value list;
  docs/sandbox.md records this choice.
"""

from __future__ import annotations

from typing import Any

from seqops.sandbox.jsonapi import error
from seqops.sandbox.resources import SEQUENCE, SEQUENCE_STATE, SEQUENCE_STEP, TYPES
from seqops.sandbox.store import Row, Store

ACTIVE_STATES = ("active", "paused", "pending", "disabled")
"""States in which a prospect is still "in" a sequence (pending: waiting for it to start;
disabled: stopped with its sequence, resumed when it is enabled)."""
ADD = "add"
"""The `*OptOutAction` value that enrols opted-out prospects anyway."""
POINTER = "/data/relationships/prospect"


def refusal(rule: str, detail: str) -> dict[str, Any]:
    item = error("validationError", "Validation Error", f"{rule}: {detail}", POINTER)
    item["meta"] = {"rule": rule}
    return item


def ruleset_of(store: Store, sequence: Row) -> dict[str, Any]:
    ruleset_id = sequence.rels.get("ruleset")
    ruleset = store.get(TYPES["ruleset"], ruleset_id) if ruleset_id else None
    return ruleset.attributes if ruleset else {}


def problems(store: Store, sequence: Row, prospect_id: int) -> list[dict[str, Any]]:
    """Every rule the enrolment of the prospect into the sequence breaks."""
    ruleset = ruleset_of(store, sequence)
    prospect = store.get(TYPES["prospect"], prospect_id)
    found = duplicate(store, sequence, ruleset, prospect_id)
    found += exclusivity(store, sequence, ruleset, prospect_id)
    if prospect is not None and not sequence.attributes.get("transactional"):
        found += opt_outs(store, sequence, ruleset, prospect)
    return found


def duplicate(
    store: Store, sequence: Row, ruleset: dict[str, Any], prospect_id: int
) -> list[dict[str, Any]]:
    policy = ruleset.get("permitDuplicateProspects") or "disallow"
    where = '"sequence_id" = ? AND "prospect_id" = ?'
    states = store.query(SEQUENCE_STATE, where, [sequence.id, prospect_id])
    if policy == "only_if_inactive":
        states = [s for s in states if s.attributes["state"] in ACTIVE_STATES]
    if policy == "allow" or not states:
        return []
    state = states[0].attributes["state"]
    detail = (
        f"prospect {prospect_id} is already in sequence {sequence.id} ({state}), and its "
        f"ruleset says {policy}."
    )
    return [refusal("permitDuplicateProspects", detail)]


def exclusivity(
    store: Store, sequence: Row, ruleset: dict[str, Any], prospect_id: int
) -> list[dict[str, Any]]:
    mine = ruleset.get("sequenceExclusivity") or "none"
    marks = ",".join("?" * len(ACTIVE_STATES))
    where = (
        f'"prospect_id" = ? AND "sequence_id" != ? AND json_extract(attrs, \'$.state\') '
        f"IN ({marks})"
    )
    states = store.query(SEQUENCE_STATE, where, [prospect_id, sequence.id, *ACTIVE_STATES])
    for other in store.get_many(SEQUENCE, {s.ref("sequence") for s in states}):
        theirs = ruleset_of(store, other).get("sequenceExclusivity") or "none"
        blocked = (
            mine == "all_sequences"
            or theirs == "all_sequences"
            or mine == theirs == "exclusive_sequences"
        )
        if blocked:
            name = other.attributes.get("name")
            detail = (
                f"prospect {prospect_id} is active in sequence {other.id} ({name!r}, "
                f"{theirs}); sequence {sequence.id} is {mine}."
            )
            return [refusal("sequenceExclusivity", detail)]
    return []


def opt_outs(
    store: Store, sequence: Row, ruleset: dict[str, Any], prospect: Row
) -> list[dict[str, Any]]:
    attrs, found = prospect.attributes, []
    everything = bool(attrs.get("optedOut"))
    if (everything or attrs.get("emailOptedOut")) and ruleset.get("emailOptOutAction") != ADD:
        found.append(opted_out("emailOptOutAction", "email", sequence, prospect))
    calls = everything or attrs.get("callOptedOut")
    if calls and has_calls(store, sequence) and ruleset.get("callOptOutAction") != ADD:
        found.append(opted_out("callOptOutAction", "calls", sequence, prospect))
    return found


def opted_out(rule: str, channel: str, sequence: Row, prospect: Row) -> dict[str, Any]:
    detail = (
        f"prospect {prospect.id} has opted out of {channel}; sequence {sequence.id} is not "
        f"transactional and its ruleset's {rule} is not {ADD!r}."
    )
    return refusal(rule, detail)


def has_calls(store: Store, sequence: Row) -> bool:
    where = "\"sequence_id\" = ? AND json_extract(attrs, '$.stepType') = 'call'"
    return store.count(SEQUENCE_STEP, where, [sequence.id]) > 0
