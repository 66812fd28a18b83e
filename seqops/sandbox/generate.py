"""Bulk data for tests and benchmarks, written straight to the store (no HTTP, no per-row
validation) but with the attributes the API would have computed."""

from __future__ import annotations

from typing import Any

from seqops.sandbox.resources import (
    SEQUENCE,
    SEQUENCE_STATE,
    SEQUENCE_STEP,
    SEQUENCE_TEMPLATE,
    TEMPLATE,
    TYPES,
    defaults,
)
from seqops.sandbox.rules import DAY, STEP_TYPE_NAMES, first_step_id, sequence_stats
from seqops.sandbox.store import Row, Store

STEP_CYCLE = ("auto_email", "call", "task")


def generate_account(
    store: Store,
    actor_id: int | None,
    n_sequences: int,
    steps_per_sequence: int = 8,
    *,
    owned: bool = True,
    prefix: str = "gen",
) -> list[int]:
    """`n_sequences` interval sequences named `{prefix}-{i:04d}` with their steps and templates."""
    now = store.clock.now()
    stamp = {"createdAt": now, "updatedAt": now}
    people = {"creator": actor_id, "updater": actor_id, "owner": actor_id}
    names = [f"{prefix}-{i:04d}" for i in range(n_sequences)]
    with store.transaction():
        steps = [
            [step_attrs(i, n, stamp) for n in range(1, steps_per_sequence + 1)]
            for i in range(n_sequences)
        ]
        sequences = [
            (sequence_attrs(name, owned, stamp, seq_steps), people)
            for name, seq_steps in zip(names, steps, strict=True)
        ]
        sequence_ids = store.insert_many(SEQUENCE, sequences)
        step_rows = [
            (attrs, {"sequence": sid, "creator": actor_id, "updater": actor_id})
            for sid, seq_steps in zip(sequence_ids, steps, strict=True)
            for attrs in seq_steps
        ]
        step_ids = store.insert_many(SEQUENCE_STEP, step_rows)
        email_steps = [
            (step_id, f"{names[i // steps_per_sequence]}-s{attrs['order']}")
            for i, (step_id, (attrs, _)) in enumerate(zip(step_ids, step_rows, strict=True))
            if attrs["stepType"] == "auto_email"
        ]
        link_templates(store, email_steps, owned, stamp, people)
    return sequence_ids


def sequence_attrs(
    name: str, owned: bool, stamp: dict[str, str], steps: list[dict[str, Any]]
) -> dict[str, Any]:
    attrs = defaults(SEQUENCE) | stamp | {"name": name, "tags": [f"seqops:{name}"] if owned else []}
    attrs["finishOnReply"] = True
    steps_as_rows = [Row(SEQUENCE_STEP.name, 0, a) for a in steps]
    return attrs | sequence_stats("interval", steps_as_rows)


def step_attrs(i: int, order: int, stamp: dict[str, str]) -> dict[str, Any]:
    step_type = STEP_CYCLE[(order - 1) % len(STEP_CYCLE)]
    return (
        defaults(SEQUENCE_STEP)
        | stamp
        | {
            "order": order,
            "stepType": step_type,
            "interval": ((i + order) % 3 + 1) * DAY,
            "displayName": f"Step {order} ({STEP_TYPE_NAMES[step_type]})",
        }
    )


def link_templates(
    store: Store,
    email_steps: list[tuple[int, str]],
    owned: bool,
    stamp: dict[str, str],
    people: dict,
) -> None:
    templates = [
        (
            defaults(TEMPLATE)
            | stamp
            | {
                "name": name,
                "subject": f"About {name}",
                "bodyHtml": f"<p>Hello from {name}.</p>",
                "bodyText": f"Hello from {name}.",
                "tags": [f"seqops:{name}"] if owned else [],
            },
            people,
        )
        for _, name in email_steps
    ]
    template_ids = store.insert_many(TEMPLATE, templates)
    links = [
        (
            defaults(SEQUENCE_TEMPLATE) | stamp | {"enabledAt": stamp["createdAt"]},
            {
                "sequenceStep": step_id,
                "template": template_id,
                "creator": people["creator"],
                "updater": people["updater"],
            },
        )
        for (step_id, _), template_id in zip(email_steps, template_ids, strict=True)
    ]
    store.insert_many(SEQUENCE_TEMPLATE, links)


def enroll(
    store: Store, actor_id: int | None, sequence_id: int, n: int = 1, state: str = "active"
) -> list[int]:
    """Enroll `n` seed prospects not yet in the sequence, in the given state."""
    taken = 'SELECT "prospect_id" FROM sequenceState WHERE "sequence_id" = ?'
    with store.transaction():
        prospects = store.query(
            TYPES["prospect"], f"id NOT IN ({taken})", [sequence_id], f"ORDER BY id LIMIT {n}"
        )
        if len(prospects) < n:
            raise ValueError(
                f"only {len(prospects)} prospects are free to enroll in sequence {sequence_id}"
            )
        mailbox = store.must(TYPES["user"], actor_id).rels.get("mailbox") if actor_id else None
        now = store.clock.now()
        attrs = defaults(SEQUENCE_STATE) | {
            "createdAt": now,
            "updatedAt": now,
            "state": state,
            "stateChangedAt": now,
            **({"activeAt": now} if state == "active" else {}),
            **({"pauseReason": "Manually paused"} if state == "paused" else {}),
        }
        step = first_step_id(store, sequence_id)
        rows = [
            (
                dict(attrs),
                {
                    "prospect": p.id,
                    "sequence": sequence_id,
                    "mailbox": mailbox,
                    "creator": actor_id,
                    "sequenceStep": step,
                },
            )
            for p in prospects
        ]
        return store.insert_many(SEQUENCE_STATE, rows)
