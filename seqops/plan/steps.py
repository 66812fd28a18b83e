"""Step diffs: in-place edits (an `update`) versus removals and reorders (a `replace`).

Steps are matched by order. The API cannot delete a step and editing a live sequence moves the
prospects in it, so only edits that keep every step where it is are made in place:

- in place: a step's wait/date, template, note, priority, type... changed at the same order,
  and steps appended at the end;
- replace: fewer steps than live (a removal), a change of `sequenceType`, or a reorder.

A step bound to more than one template is an in-place update too: its extra bindings go.

A step's identity is what it does: (type, template, note). The desired list is a *reorder* of
the live one when a live step's identity, no longer at its own order, appears at another order
whose own live step does not explain it (an insertion in the middle and a swap are reorders;
turning one of two identical calls into a task is not).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seqops.manifest.models import Sequence, Step
from seqops.plan.diff import FieldDiff, display
from seqops.providers.base import LiveObject, LiveStep


@dataclass(frozen=True)
class StepWrite:
    """One step write the executor performs: create at `order`, or update the live step."""

    order: int
    live: LiveStep | None = None

    @property
    def op(self) -> str:
        return "create" if self.live is None else "update"


def step_essence(step: Step, sequence_type: str) -> dict[str, Any]:
    data = step.model_dump(mode="json", exclude_none=True)
    if sequence_type == "interval":
        data.setdefault("wait", 0)
    return data


def _identity(step: Step) -> tuple:
    return (step.type, step.template, step.note)


def needs_replace(desired: Sequence, live: LiveObject) -> bool:
    """Whether applying `desired` to `live` would remove, reorder or re-type steps."""
    want, have = desired.spec.steps, live.resource.spec.steps  # type: ignore[attr-defined]
    if have and desired.spec.sequenceType != live.resource.spec.sequenceType:  # type: ignore[attr-defined]
        return True
    return len(want) < len(have) or is_reorder(
        [_identity(s) for s in want], [_identity(s) for s in have]
    )


def is_reorder(want: list, have: list) -> bool:
    for i, step in enumerate(have):
        if i < len(want) and want[i] == step:
            continue
        if any(_moved_to(j, step, want, have) for j in range(len(want)) if j != i):
            return True
    return False


def _moved_to(j: int, step: Any, want: list, have: list) -> bool:
    return want[j] == step and (j >= len(have) or have[j] != want[j])


def step_diff(
    desired: Sequence, live: LiveObject | None, template_names: Mapping[int, str] | None = None
) -> tuple[list[FieldDiff], list[StepWrite]]:
    """Field diffs (`steps[i].field`) and the step writes that make `live` match in place.
    `template_names` (live template id -> manifest name) names a step's extra bindings."""
    kind = desired.spec.sequenceType
    have = live.resource.spec.steps if live else []  # type: ignore[attr-defined]
    diffs: list[FieldDiff] = []
    writes: list[StepWrite] = []
    for i, step in enumerate(desired.spec.steps):
        old = step_essence(have[i], kind) if i < len(have) else {}
        changed = _fields_diff(i, step_essence(step, kind), old)
        if i < len(have) and live.steps[i].extra_sequence_template_ids:  # type: ignore[union-attr]
            changed = _rebound(i, step, live.steps[i], changed, template_names or {})  # type: ignore[union-attr]
        if changed or i >= len(have):
            diffs += changed
            writes.append(StepWrite(i + 1, live.steps[i] if live and i < len(have) else None))
    return diffs, writes


def steps_removed(desired: Sequence, live: LiveObject) -> list[FieldDiff]:
    """For a replace: the live steps beyond the desired list, as `steps[i]: {...} → (unset)`."""
    kind = live.resource.spec.sequenceType  # type: ignore[attr-defined]
    have = live.resource.spec.steps  # type: ignore[attr-defined]
    return [
        FieldDiff(f"steps[{i}]", _shown(step_essence(s, kind)), None)
        for i, s in enumerate(have)
        if i >= len(desired.spec.steps)
    ]


def _fields_diff(index: int, want: dict, have: dict) -> list[FieldDiff]:
    return [
        FieldDiff(
            f"steps[{index}].{key}", display(Step, key, have.get(key)), display(Step, key, value)
        )
        for key, value in want.items()
        if have.get(key) != value and (have or (key, value) != ("isReply", False))
    ]


def _rebound(
    index: int, step: Step, live: LiveStep, changed: list[FieldDiff], names: Mapping[int, str]
) -> list[FieldDiff]:
    """A step bound to several templates (a racing apply, an A/B variant made in the UI) is
    repaired to the one the manifest says: `steps[0].template: intro, intro → intro`."""
    path = f"steps[{index}].template"
    bound = [names.get(t, f"template {t}") for _, t in live.bindings()]  # type: ignore[arg-type]
    return [d for d in changed if d.path != path] + [FieldDiff(path, bound, step.template)]


def _shown(essence: dict) -> dict:
    return {key: display(Step, key, value) for key, value in essence.items()}
