"""Step diffs: in-place edits (an `update`) versus removals and reorders (a `replace`).

Steps are matched by order. The API cannot delete a step and editing a live sequence moves the
prospects in it, so only edits that keep every step where it is are made in place:

- in place: a step's wait/date, template, note, priority, type... changed at the same order,
  and steps appended at the end;
- replace: fewer steps than live (a removal), a change of `sequenceType`, or a reorder.

An email step's templates are its A/B variants, compared as a set (`template: x` is
`templates: [x]`): variants added or removed are an in-place change of the step. A step bound
twice to one template (a racing apply's duplicate binding) is repaired in place too.

A step's identity is what it does: (type, templates, note). The desired list is a *reorder* of
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
from seqops.providers.bindings import duplicate_bindings


@dataclass(frozen=True)
class StepWrite:
    """One step write the executor performs: create at `order`, or update the live step."""

    order: int
    live: LiveStep | None = None

    @property
    def op(self) -> str:
        return "create" if self.live is None else "update"


def step_essence(step: Step, sequence_type: str) -> dict[str, Any]:
    """The step's managed fields, its templates as `templates`, sorted (see `_fields_diff`)."""
    data = step.model_dump(mode="json", exclude_none=True)
    if "template" in data or "templates" in data:
        data = {
            ("templates" if key == "template" else key): value
            for key, value in data.items()
            if key != "templates"
        }
        data["templates"] = list(step.variants)
    if sequence_type == "interval":
        data.setdefault("wait", 0)
    return data


def _identity(step: Step) -> tuple:
    return (step.type, step.variants, step.note)


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
        if i < len(have) and duplicate_bindings(live.steps[i]):  # type: ignore[union-attr]
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
        _field(index, key, have.get(key), value)
        for key, value in want.items()
        if have.get(key) != value and (have or (key, value) != ("isReply", False))
    ]


def _field(index: int, key: str, old: Any, new: Any) -> FieldDiff:
    if key == "templates":
        return variants_diff(index, old, new)
    return FieldDiff(f"steps[{index}].{key}", display(Step, key, old), display(Step, key, new))


def variants_diff(index: int, old: list | None, new: list | None) -> FieldDiff:
    """A change of a step's templates: `steps[i].template: a → b` while the step sends one on
    both sides, else `steps[i].templates` with both lists (A/B variants added or removed)."""
    if len(old or ()) <= 1 and len(new or ()) <= 1:
        return FieldDiff(f"steps[{index}].template", _single(old), _single(new))
    return FieldDiff(f"steps[{index}].templates", old, new)


def _single(names: list | None) -> str | None:
    return names[0] if names else None


def _rebound(
    index: int, step: Step, live: LiveStep, changed: list[FieldDiff], names: Mapping[int, str]
) -> list[FieldDiff]:
    """A step bound twice to one template (e.g. two applies raced) is repaired to one binding
    per template: `steps[0].template: intro, intro → intro`."""
    bound = [names.get(t, f"template {t}") for _, t in live.bindings()]  # type: ignore[arg-type]
    path = "template" if len(step.variants) <= 1 else "templates"
    want = _single(list(step.variants)) if path == "template" else list(step.variants)
    rest = [d for d in changed if not d.path.startswith(f"steps[{index}].template")]
    return [*rest, FieldDiff(f"steps[{index}].{path}", bound, want)]


def _shown(essence: dict) -> dict:
    shown = {key: display(Step, key, value) for key, value in essence.items()}
    if len(shown.get("templates", ())) == 1:
        shown = {("template" if k == "templates" else k): v for k, v in shown.items()}
        shown["template"] = shown["template"][0]
    return shown
