"""Type-specific behaviour: cross-field checks and the attributes the server computes.

Generic validation (types, lengths, enums, read-only, relationship ids) happens in writes.py;
the rules here are what makes the sandbox behave like Outreach beyond the schema.
"""

from __future__ import annotations

import html
import math
import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from seqops.sandbox import enrolment
from seqops.sandbox.jsonapi import invalid
from seqops.sandbox.resources import SEQUENCE, SEQUENCE_STATE, SEQUENCE_STEP, TYPES, ResourceType
from seqops.sandbox.store import Row, Store

EMAIL_STEPS = ("auto_email", "manual_email")
IN_SEQUENCE_STATES = enrolment.ACTIVE_STATES  # prospects still "in" a sequence
STEP_TYPE_NAMES = {
    "auto_email": "Auto Email",
    "manual_email": "Manual Email",
    "call": "Call",
    "task": "Task",
}
DAY = 86400


@dataclass
class Context:
    """What a write needs besides its body: the store and the user the token acts as."""

    store: Store
    actor_id: int | None


class Rules:
    """Default behaviour: timestamps and creator/updater; subclasses add the rest."""

    def check(self, ctx: Context, row: Row, before: Row | None) -> list[dict[str, Any]]:
        return []

    def compute(self, ctx: Context, row: Row, before: Row | None) -> None:
        now = ctx.store.clock.now()
        row.attributes["updatedAt"] = now
        if before is None:
            row.attributes["createdAt"] = now
        rels = TYPES[row.type].rels
        if before is None and "creator" in rels:
            row.rels["creator"] = ctx.actor_id
        if "updater" in rels:
            row.rels["updater"] = ctx.actor_id

    def after_write(self, ctx: Context, row: Row) -> None:
        pass

    def check_delete(self, ctx: Context, row: Row) -> list[dict[str, Any]]:
        return []

    def after_delete(self, ctx: Context, row: Row) -> None:
        pass


class OwnedRules(Rules):
    """Resources with an `owner`: the API user owns what they create unless told otherwise."""

    def compute(self, ctx: Context, row: Row, before: Row | None) -> None:
        super().compute(ctx, row, before)
        if before is None and row.rels.get("owner") is None:
            row.rels["owner"] = ctx.actor_id


DEFAULT_RULESET = "default_ruleset"
"""The store's meta key of the account's default ruleset, which new sequences get."""


class SequenceRules(Rules):
    """A sequence created without them gets the account's default ruleset and no owner, as the
    real API answers a `POST /sequences` (a production connector's recorded response)."""

    def check(self, ctx: Context, row: Row, before: Row | None) -> list[dict[str, Any]]:
        kind_changed = (
            before and before.attributes["sequenceType"] != row.attributes["sequenceType"]
        )
        if kind_changed and row.attributes.get("sequenceStepCount"):
            detail = "sequenceType cannot change while the sequence has steps."
            return [invalid(detail, "/data/attributes/sequenceType")]
        return []

    def compute(self, ctx: Context, row: Row, before: Row | None) -> None:
        super().compute(ctx, row, before)
        default_ruleset = ctx.store.get_meta(DEFAULT_RULESET)
        if before is None and row.rels.get("ruleset") is None and default_ruleset:
            row.rels["ruleset"] = int(default_ruleset)
        attrs = row.attributes
        wrote_finish = attrs.get("finishOnReply") is not None and (
            before is None or before.attributes.get("finishOnReply") != attrs["finishOnReply"]
        )
        if wrote_finish and (attrs["primaryReplyAction"] == "finish") != attrs["finishOnReply"]:
            # Deprecated alias: writing it moves primaryReplyAction, as the docs describe.
            attrs["primaryReplyAction"] = "finish" if attrs["finishOnReply"] else "continue"
        attrs["finishOnReply"] = attrs["primaryReplyAction"] == "finish"

    def check_delete(self, ctx: Context, row: Row) -> list[dict[str, Any]]:
        marks = ",".join("?" * len(IN_SEQUENCE_STATES))
        where = f"\"sequence_id\" = ? AND json_extract(attrs, '$.state') IN ({marks})"
        busy = ctx.store.count(SEQUENCE_STATE, where, [row.id, *IN_SEQUENCE_STATES])
        if busy:
            return [invalid(f"Cannot delete a sequence with {busy} active or paused prospect(s).")]
        return []


def refresh_sequence_stats(store: Store, sequence_id: int) -> None:
    """Recompute the step-derived sequence attributes (not a user write: updatedAt stays)."""
    sequence = store.must(SEQUENCE, sequence_id)
    steps = store.query(SEQUENCE_STEP, '"sequence_id" = ?', [sequence_id])
    sequence.attributes.update(sequence_stats(sequence.attributes["sequenceType"], steps))
    store.update(sequence)


def sequence_stats(sequence_type: str, steps: list[Row]) -> dict[str, Any]:
    attrs = [s.attributes for s in steps]
    automated = sum(a["stepType"] == "auto_email" for a in attrs)
    if sequence_type == "date":
        dates = sorted(date.fromisoformat(a["date"]) for a in attrs if a.get("date"))
        duration = (dates[-1] - dates[0]).days if dates else 0
    else:
        duration = math.ceil(sum(a.get("interval") or 0 for a in attrs) / DAY)
    return {
        "sequenceStepCount": len(attrs),
        "durationInDays": duration,
        "automationPercentage": round(automated / len(attrs), 4) if attrs else 0.0,
    }


class StepRules(Rules):
    def check(self, ctx: Context, row: Row, before: Row | None) -> list[dict[str, Any]]:
        sequence = ctx.store.must(SEQUENCE, row.ref("sequence"))
        problems = schedule_problems(sequence.attributes["sequenceType"], row.attributes)
        order = row.attributes.get("order")
        if order is not None and order < 1:
            problems.append(invalid("order must be 1 or more.", "/data/attributes/order"))
        elif order is not None and order_taken(ctx.store, row):
            problems.append(
                invalid(
                    f"order {order} is already taken in this sequence.", "/data/attributes/order"
                )
            )
        if (
            before
            and row.attributes["stepType"] not in EMAIL_STEPS
            and has_templates(ctx.store, row.id)
        ):
            detail = "stepType cannot become a non-email type while the step has templates."
            problems.append(invalid(detail, "/data/attributes/stepType"))
        return problems

    def compute(self, ctx: Context, row: Row, before: Row | None) -> None:
        super().compute(ctx, row, before)
        attrs = row.attributes
        sequence = ctx.store.must(SEQUENCE, row.ref("sequence"))
        if sequence.attributes["sequenceType"] == "interval" and attrs.get("interval") is None:
            attrs["interval"] = 0
        if attrs.get("order") is None:
            attrs["order"] = next_order(ctx.store, sequence.id)
        attrs["displayName"] = f"Step {attrs['order']} ({STEP_TYPE_NAMES[attrs['stepType']]})"

    def after_write(self, ctx: Context, row: Row) -> None:
        refresh_sequence_stats(ctx.store, row.ref("sequence"))


def schedule_problems(sequence_type: str, attrs: dict[str, Any]) -> list[dict[str, Any]]:
    """`interval` only in interval sequences, `date` only (and always) in date sequences."""
    problems = []
    if sequence_type == "interval" and attrs.get("date") is not None:
        problems.append(invalid("date is only allowed in date sequences.", "/data/attributes/date"))
    if sequence_type == "date" and attrs.get("interval") is not None:
        problems.append(
            invalid("interval is only allowed in interval sequences.", "/data/attributes/interval")
        )
    if sequence_type == "date" and attrs.get("date") is None:
        problems.append(invalid("date can't be blank in a date sequence.", "/data/attributes/date"))
    if (attrs.get("interval") or 0) < 0:
        problems.append(invalid("interval must be 0 or more.", "/data/attributes/interval"))
    return problems


def order_taken(store: Store, row: Row) -> bool:
    where = "\"sequence_id\" = ? AND json_extract(attrs, '$.order') = ? AND id != ?"
    values = [row.ref("sequence"), row.attributes["order"], row.id]
    return store.count(SEQUENCE_STEP, where, values) > 0


def next_order(store: Store, sequence_id: int) -> int:
    with store.lock:
        found = store.conn.execute(
            "SELECT max(json_extract(attrs, '$.order')) FROM sequenceStep WHERE sequence_id = ?",
            (sequence_id,),
        ).fetchone()[0]
    return (found or 0) + 1


def has_templates(store: Store, step_id: int) -> bool:
    return store.count(TYPES["sequenceTemplate"], '"sequenceStep_id" = ?', [step_id]) > 0


class SequenceTemplateRules(Rules):
    def check(self, ctx: Context, row: Row, before: Row | None) -> list[dict[str, Any]]:
        step = ctx.store.must(SEQUENCE_STEP, row.ref("sequenceStep"))
        if step.attributes["stepType"] not in EMAIL_STEPS:
            detail = f"Only email steps take templates; step {step.id} is a {step.attributes['stepType']} step."
            return [invalid(detail, "/data/relationships/sequenceStep")]
        return []

    def compute(self, ctx: Context, row: Row, before: Row | None) -> None:
        super().compute(ctx, row, before)
        if before is None:
            row.attributes["enabledAt"] = row.attributes["createdAt"]


class TemplateRules(OwnedRules):
    def compute(self, ctx: Context, row: Row, before: Row | None) -> None:
        super().compute(ctx, row, before)
        attrs = row.attributes
        attrs["bodyText"] = html_to_text(attrs.get("bodyHtml"))
        was_archived = bool(before and before.attributes.get("archived"))
        if attrs.get("archived") and not was_archived:
            attrs["archivedAt"] = attrs["updatedAt"]
        elif not attrs.get("archived"):
            attrs["archivedAt"] = None


def html_to_text(body: str | None) -> str | None:
    """The plain-text rendering Outreach derives from bodyHtml."""
    if body is None:
        return None
    text = re.sub(r"<(br|/p|/div|/li)\b[^>]*>", "\n", body, flags=re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return "\n".join(line.strip() for line in text.splitlines()).strip()


class SequenceStateRules(Rules):
    def check(self, ctx: Context, row: Row, before: Row | None) -> list[dict[str, Any]]:
        sequence = ctx.store.must(SEQUENCE, row.ref("sequence"))
        return enrolment.problems(ctx.store, sequence, row.ref("prospect"))

    def compute(self, ctx: Context, row: Row, before: Row | None) -> None:
        super().compute(ctx, row, before)
        sequence = ctx.store.must(SEQUENCE, row.ref("sequence"))
        state = "active" if sequence.attributes.get("enabled") else "pending"
        set_state(row, state, row.attributes["updatedAt"])
        row.rels["sequenceStep"] = first_step_id(ctx.store, sequence.id)


def set_state(row: Row, state: str, now: str, pause_reason: str | None = None) -> None:
    row.attributes.update(state=state, stateChangedAt=now, updatedAt=now, pauseReason=pause_reason)
    if state == "active":
        row.attributes["activeAt"] = now


def first_step_id(store: Store, sequence_id: int) -> int | None:
    steps = store.query(
        SEQUENCE_STEP,
        '"sequence_id" = ?',
        [sequence_id],
        "ORDER BY json_extract(attrs, '$.order') LIMIT 1",
    )
    return steps[0].id if steps else None


class PersonRules(Rules):
    """Users and prospects: `name` is derived from first and last names."""

    def compute(self, ctx: Context, row: Row, before: Row | None) -> None:
        super().compute(ctx, row, before)
        attrs = row.attributes
        attrs["name"] = (
            " ".join(filter(None, (attrs.get("firstName"), attrs.get("lastName")))) or None
        )
        if row.type == "user" and before is None:
            attrs["userGuid"] = str(uuid.uuid4())


class ProspectRules(PersonRules, OwnedRules):
    pass


class MailboxRules(Rules):
    def compute(self, ctx: Context, row: Row, before: Row | None) -> None:
        super().compute(ctx, row, before)
        row.attributes["userId"] = row.rels.get("user")


RULES: dict[str, Rules] = {
    "sequence": SequenceRules(),
    "sequenceStep": StepRules(),
    "sequenceTemplate": SequenceTemplateRules(),
    "template": TemplateRules(),
    "ruleset": OwnedRules(),
    "sequenceState": SequenceStateRules(),
    "user": PersonRules(),
    "prospect": ProspectRules(),
    "mailbox": MailboxRules(),
}
DEFAULT_RULES = Rules()


def of(rtype: ResourceType) -> Rules:
    return RULES.get(rtype.name, DEFAULT_RULES)
