"""Resource actions: `POST /sequences/{id}/actions/enable|disable` (the seed's), and
`POST /sequenceStates/{id}/actions/finish|pause|resume` (the OpenAPI file's)."""

from __future__ import annotations

from collections.abc import Callable

from seqops.sandbox.jsonapi import invalid, not_found, unprocessable
from seqops.sandbox.resources import SEQUENCE, SEQUENCE_STATE, ResourceType
from seqops.sandbox.rules import Context, set_state
from seqops.sandbox.store import Row

Action = Callable[[Context, Row], None]


def enable_sequence(ctx: Context, row: Row) -> None:
    if row.attributes.get("enabled"):
        return  # already enabled: nothing changes, enabledAt keeps its value
    now = ctx.store.clock.now()
    row.attributes.update(enabled=True, enabledAt=now, updatedAt=now)
    row.rels["updater"] = ctx.actor_id
    ctx.store.update(row)
    move_states(ctx, row.id, ("pending", "disabled"), "active", now)


def move_states(
    ctx: Context, sequence_id: int, from_states: tuple[str, ...], to: str, now: str
) -> None:
    """Outreach's master toggle: enabling a sequence starts the prospects added while it was
    disabled (`pending`) and resumes those its disabling stopped (`disabled`); disabling it
    stops its active ones (`disabled`: no step fires for them). Paused ones stay paused."""
    marks = ",".join("?" * len(from_states))
    where = f"\"sequence_id\" = ? AND json_extract(attrs, '$.state') IN ({marks})"
    for state in ctx.store.query(SEQUENCE_STATE, where, [sequence_id, *from_states]):
        set_state(state, to, now)
        ctx.store.update(state)


def disable_sequence(ctx: Context, row: Row) -> None:
    if not row.attributes.get("enabled"):
        return
    now = ctx.store.clock.now()
    row.attributes.update(enabled=False, enabledAt=None, updatedAt=now)
    row.rels["updater"] = ctx.actor_id
    ctx.store.update(row)
    move_states(ctx, row.id, ("active",), "disabled", now)


def transition(allowed_from: tuple[str, ...], to: str, pause_reason: str | None = None) -> Action:
    """A sequence-state action valid only from some states (422 otherwise, as the API does)."""

    def act(ctx: Context, row: Row) -> None:
        current = row.attributes["state"]
        if current not in allowed_from:
            detail = f"Cannot {ACTION_VERBS[to]} a sequence state that is {current}."
            raise unprocessable([invalid(detail, "/data/attributes/state")])
        set_state(row, to, ctx.store.clock.now(), pause_reason)
        ctx.store.update(row)

    return act


def resume(ctx: Context, row: Row) -> None:
    """A paused prospect resumes; in a disabled sequence it waits, stopped, for the sequence."""
    transition(("paused",), "active")(ctx, row)
    sequence = ctx.store.get(SEQUENCE, row.ref("sequence"))
    if sequence is not None and not sequence.attributes.get("enabled"):
        set_state(row, "disabled", row.attributes["updatedAt"])
        ctx.store.update(row)


ACTION_VERBS = {"finished": "finish", "paused": "pause", "active": "resume"}
ACTIONS: dict[tuple[str, str], Action] = {
    ("sequence", "enable"): enable_sequence,
    ("sequence", "disable"): disable_sequence,
    ("sequenceState", "finish"): transition(("active", "disabled"), "finished"),
    ("sequenceState", "pause"): transition(("active",), "paused", "Manually paused"),
    ("sequenceState", "resume"): resume,
}
ACTION_TYPES = {SEQUENCE.name: SEQUENCE, SEQUENCE_STATE.name: SEQUENCE_STATE}


def run(ctx: Context, rtype: ResourceType, rid: int, name: str) -> Row:
    action = ACTIONS.get((rtype.name, name))
    with ctx.store.transaction():
        row = ctx.store.get(rtype, rid)
        if action is None or row is None:
            raise not_found(
                rtype.name if action else f"{rtype.name} action", rid if action else name
            )
        action(ctx, row)
    return row
