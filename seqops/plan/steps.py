"""Step diffs: in-place edits (an `update`) versus removals and reorders (a `replace`).

Steps are aligned by content (`seqops.plan.alignment`): a live step is the desired step with
the same type, template(s) and note, wherever it stands. The API cannot delete a step and
editing a live sequence moves the prospects in it, so only edits that keep every live step at
its own order are made in place:

- in place: a step's wait/date, template, note, priority, type... changed at the same order,
  and steps appended at the end;
- replace: a step removed, moved, or shifted by an insertion before it, or a change of
  `sequenceType`. The replace reason names them (`step 4 · task 'Connect on LinkedIn' removed`).

An email step's templates are its A/B variants, compared as a set (`template: x` is
`templates: [x]`): variants added or removed are an in-place change of the step, and a step's
identity includes them. A step bound twice to one template (a racing apply's duplicate
binding) is repaired in place too.
The diff entries carry the alignment (`op`, `old_index`, `new_index`), so every renderer shows
removed, inserted, moved and changed steps as what they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seqops.manifest.models import Sequence, Step
from seqops.plan.alignment import TIMING, StepPair, align, reorders, step_identity, step_ref
from seqops.plan.diff import FieldDiff, display
from seqops.plan.live import sequence_of, spec_of
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


_TIMING_OF = {"interval": "wait", "date": "date"}
__all__ = ["StepWrite", "needs_replace", "replace_reason", "step_diff", "step_identity"]


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


def essences(sequence: Sequence, other_type: str | None = None) -> list[dict[str, Any]]:
    """Each step's essence. When the other side has another `sequenceType`, the timing field
    it used is kept as `None` here, so its dates (or waits) are seen going away."""
    kind = sequence.spec.sequenceType
    gone = [t for t in TIMING if other_type and other_type != kind and t != _TIMING_OF[kind]]
    return [{**step_essence(s, kind), **dict.fromkeys(gone)} for s in sequence.spec.steps]


def step_alignment(desired: Sequence, live: LiveObject | None) -> list[StepPair]:
    """Desired steps aligned with the live ones by content (`seqops.plan.alignment`)."""
    if live is None:
        return [StepPair("inserted", None, i) for i in range(len(desired.spec.steps))]
    return align_sequences(sequence_of(live), desired)


def align_sequences(before: Sequence, after: Sequence) -> list[StepPair]:
    """The steps of `before` aligned with those of `after`, by content."""
    return align(
        essences(before, after.spec.sequenceType), essences(after, before.spec.sequenceType)
    )


def needs_replace(desired: Sequence, live: LiveObject) -> bool:
    """Whether applying `desired` to `live` would remove, reorder or re-type steps."""
    have = spec_of(live).steps
    if have and desired.spec.sequenceType != spec_of(live).sequenceType:
        return True
    return reorders(step_alignment(desired, live))


def replace_reason(desired: Sequence, live: LiveObject) -> str:
    """Why a sequence needs a new version, in step terms: `step 4 · task '…' removed`."""
    old_type = spec_of(live).sequenceType
    if desired.spec.sequenceType != old_type and spec_of(live).steps:
        return f"sequenceType {old_type} → {desired.spec.sequenceType}"
    have, want = spec_of(live).steps, desired.spec.steps
    found = [_reason(p, have, want) for p in step_alignment(desired, live) if p.op != "same"]
    reasons = [r for r in found if r]
    shown = "; ".join(reasons[:3])
    return shown + (f" (and {len(reasons) - 3} more)" if len(reasons) > 3 else "")


def _reason(pair: StepPair, have: list[Step], want: list[Step]) -> str | None:
    if pair.op == "removed":
        return f"{step_ref(pair.old, have[pair.old])} removed"
    if pair.op == "moved":
        return f"{step_ref(pair.old, have[pair.old])} moved to step {pair.new + 1}"
    if pair.op == "inserted" and pair.new < len(have):
        return f"{step_ref(pair.new, want[pair.new])} inserted"
    return None


def step_diff(
    desired: Sequence, live: LiveObject | None, template_names: Mapping[int, str] | None = None
) -> tuple[list[FieldDiff], list[StepWrite]]:
    """Step entries of the diff, aligned by content (removed, inserted, moved, changed), and
    the step writes that make `live` match in place (meaningful when nothing is removed or
    reordered: then every kept step is at its own order). `template_names` (live template id
    -> manifest name) names a step's extra bindings."""
    if live is None:
        # A new sequence's steps have nothing to align with: plain {path, old, new}.
        want = essences(desired)
        diffs = [FieldDiff(f"steps[{n}]", None, _shown(w)) for n, w in enumerate(want)]
        return diffs, [StepWrite(n + 1) for n in range(len(want))]
    return _StepDiff(desired, live, template_names or {}).entries()


class _StepDiff:
    """The step entries and writes of one live sequence towards its manifest."""

    def __init__(self, desired: Sequence, live: LiveObject, names: Mapping[int, str]):
        self.desired, self.live, self.names = desired, live, names
        self.want = essences(desired, spec_of(live).sequenceType)
        self.have = essences(sequence_of(live), desired.spec.sequenceType)
        self.diffs: list[FieldDiff] = []
        self.writes: list[StepWrite] = []

    def entries(self) -> tuple[list[FieldDiff], list[StepWrite]]:
        for pair in step_alignment(self.desired, self.live):
            if pair.op in ("same", "changed"):
                self.kept(pair)
            elif pair.op == "inserted":
                entry = FieldDiff(f"steps[{pair.new}]", None, _shown(self.want[pair.new]))
                self.diffs.append(dataclasses.replace(entry, op="inserted", new_index=pair.new))
                self.writes.append(StepWrite(pair.new + 1))
            elif pair.op == "removed":
                shown = _shown(self.have[pair.old])
                self.diffs.append(FieldDiff(f"steps[{pair.old}]", shown, None, "removed", pair.old))
            else:
                shown_old, shown_new = _shown(self.have[pair.old]), _shown(self.want[pair.new])
                entry = FieldDiff(f"steps[{pair.new}]", shown_old, shown_new, "moved", pair.old)
                self.diffs.append(dataclasses.replace(entry, new_index=pair.new))
        return self.diffs, self.writes

    def kept(self, pair: StepPair) -> None:
        o, n = pair.old, pair.new
        live_step = self.live.steps[o]
        changed = _fields_diff(pair, self.want[n], self.have[o])
        if duplicate_bindings(live_step):
            changed = _rebound(n, self.desired.spec.steps[n], live_step, changed, self.names)
        if changed:
            self.diffs += [
                d if d.op else dataclasses.replace(d, op="changed", old_index=o, new_index=n)
                for d in changed
            ]
            self.writes.append(StepWrite(n + 1, live_step))


def _fields_diff(pair: StepPair, want: dict, have: dict) -> list[FieldDiff]:
    return [
        dataclasses.replace(
            _field(pair.new, key, have.get(key), value),
            op="changed",
            old_index=pair.old_index,
            new_index=pair.new_index,
        )
        for key, value in want.items()
        if have.get(key) != value
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
    bound = [
        names.get(t, f"template {t}") if t is not None else "template None"
        for _, t in live.bindings()
    ]
    path = "template" if len(step.variants) <= 1 else "templates"
    want = _single(list(step.variants)) if path == "template" else list(step.variants)
    rest = [d for d in changed if not d.path.startswith(f"steps[{index}].template")]
    return [*rest, FieldDiff(f"steps[{index}].{path}", bound, want)]


def _shown(essence: dict) -> dict:
    """A whole step as the manifest writes it (no `isReply: false`, no timing it lacks, one
    template as `template`)."""
    shown = {
        key: display(Step, key, value)
        for key, value in essence.items()
        if value is not None and (key, value) != ("isReply", False)
    }
    if len(shown.get("templates", ())) == 1:
        shown = {("template" if k == "templates" else k): v for k, v in shown.items()}
        shown["template"] = shown["template"][0]
    return shown
