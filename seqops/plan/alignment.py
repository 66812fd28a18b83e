"""Which live step a desired step is: steps aligned by what they do, not by position.

A step's identity is what it does: its type, the template(s) it sends and its task note
(`step_identity`). Waits, dates, priorities and the like are details of that step: a change to
them is a *change* of the step, not another step. Desired and live step lists are aligned by a
minimum-cost edit script (Needleman-Wunsch over the two lists, tiny for real sequences):

- a live step kept with the same identity costs nothing (1 if a detail such as its wait
  changes, so that of two identical calls the one with the same wait is the one kept);
- re-typing a step or giving it another template in place costs more than keeping it but less
  than removing it and inserting another (12 when the two still share a type, template or
  note, 15 when they share nothing), so an edit in place reads as an edit;
- removing or inserting a step costs 10. On ties, removals and insertions go last, so a step
  appended to the end is an insertion at the end.

A removed step and an inserted step with the same identity are one step *moved*. Steps kept
at another position are *shifted* (by a removal or insertion before them). difflib's
SequenceMatcher was the first candidate; it cannot weigh an edit in place against a
removal plus an insertion (two identical calls, one re-typed, read as a removal) - hence the
small dynamic programme. Every renderer and the replace rule read this one alignment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

KEEP, DETAIL, SIMILAR, RETYPE, GAP = 0, 1, 12, 15, 10
LABEL_LIMIT = 48
TIMING = ("wait", "date")


@dataclass(frozen=True)
class StepPair:
    """One step of the alignment: `op` is same|changed|moved|removed|inserted; indexes are
    0-based positions in the live (`old_index`) and desired (`new_index`) step lists."""

    op: str
    old_index: int | None = None
    new_index: int | None = None

    @property
    def shifted(self) -> bool:
        """Kept, but at another position (a removal or insertion before it)."""
        return self.op in ("same", "changed") and self.old_index != self.new_index

    @property
    def old(self) -> int:
        """The live position of a step that has one (kept, changed, moved, removed)."""
        if self.old_index is None:
            raise ValueError(f"an {self.op} step has no live position")
        return self.old_index

    @property
    def new(self) -> int:
        """The desired position of a step that has one (kept, changed, moved, inserted)."""
        if self.new_index is None:
            raise ValueError(f"a {self.op} step has no desired position")
        return self.new_index


def as_dict(step: Any) -> dict[str, Any]:
    """A step as its manifest mapping (a `Step`, or the dict a plan file holds)."""
    if isinstance(step, BaseModel):
        return step.model_dump(mode="json", exclude_none=True)
    return dict(step or {})


def templates_of(step: Any) -> tuple[str, ...]:
    """The template(s) a step sends: `template`, or a `templates` list (A/B variants)."""
    data = as_dict(step)
    listed = data.get("templates") or []
    names = [t if isinstance(t, str) else (t or {}).get("template", "") for t in listed]
    return tuple(names) if names else ((data["template"],) if data.get("template") else ())


def step_identity(step: Any) -> tuple:
    """What a step *is*: (type, template(s), note). Two steps with the same identity are the
    same step, whatever their wait, date or priority."""
    data = as_dict(step)
    return (data.get("type"), templates_of(data), data.get("note"))


def same_identity(live: Any, desired: Any) -> bool:
    """`desired` is `live` by identity; a note the manifest does not manage (None) matches."""
    (ltype, ltemplates, lnote), (dtype, dtemplates, dnote) = (
        step_identity(live),
        step_identity(desired),
    )
    return ltype == dtype and ltemplates == dtemplates and (dnote is None or dnote == lnote)


def _similar(live: Any, desired: Any) -> bool:
    (ltype, ltemplates, lnote), (dtype, dtemplates, dnote) = (
        step_identity(live),
        step_identity(desired),
    )
    return (
        ltype == dtype
        or bool(set(ltemplates) & set(dtemplates))
        or (bool(dnote) and dnote == lnote)
    )


def _cost(live: dict, desired: dict, managed: Sequence[str] | None) -> int:
    if same_identity(live, desired):
        keys = managed if managed is not None else desired.keys()
        return KEEP if all(live.get(k) == desired.get(k) for k in keys) else DETAIL
    return SIMILAR if _similar(live, desired) else RETYPE


def align(
    old: Iterable[Any], new: Iterable[Any], managed: Sequence[str] | None = None
) -> list[StepPair]:
    """The alignment of live steps `old` with desired steps `new`, in step order.

    `managed` names the fields compared for a kept step (default: those the desired step
    sets); steps are `Step` models or their manifest mappings (normalised alike)."""
    a, b = [as_dict(s) for s in old], [as_dict(s) for s in new]
    cost = _table(a, b, managed)
    pairs = _backtrack(a, b, cost, managed)
    return _moves(pairs, a, b)


def _table(a: list[dict], b: list[dict], managed: Sequence[str] | None) -> list[list[int]]:
    cost = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        for j in range(len(b) + 1):
            if i == 0 or j == 0:
                cost[i][j] = GAP * (i + j)
                continue
            cost[i][j] = min(
                cost[i - 1][j - 1] + _cost(a[i - 1], b[j - 1], managed),
                cost[i - 1][j] + GAP,
                cost[i][j - 1] + GAP,
            )
    return cost


def _backtrack(
    a: list[dict], b: list[dict], cost: list[list[int]], managed: Sequence[str] | None
) -> list[StepPair]:
    pairs: list[StepPair] = []
    i, j = len(a), len(b)
    while i or j:
        if j and cost[i][j] == cost[i][j - 1] + GAP:
            j -= 1
            pairs.append(StepPair("inserted", None, j))
        elif i and cost[i][j] == cost[i - 1][j] + GAP:
            i -= 1
            pairs.append(StepPair("removed", i, None))
        else:
            i, j = i - 1, j - 1
            same = _cost(a[i], b[j], managed) == KEEP
            pairs.append(StepPair("same" if same else "changed", i, j))
    return pairs[::-1]


def _moves(pairs: list[StepPair], a: list[dict], b: list[dict]) -> list[StepPair]:
    """A removed and an inserted step with the same identity: one step moved."""
    out = list(pairs)
    for r, removed in enumerate(out):
        if removed.op != "removed" or removed.old_index is None:
            continue
        for k, inserted in enumerate(out):
            if (
                inserted.op == "inserted"
                and inserted.new_index is not None
                and same_identity(a[removed.old_index], b[inserted.new_index])
            ):
                out[k] = StepPair("moved", removed.old_index, inserted.new_index)
                out[r] = StepPair("", None, None)
                break
    return [p for p in out if p.op]


def reorders(pairs: Iterable[StepPair]) -> bool:
    """Whether the alignment removes, moves or shifts a live step (only appending does not)."""
    return any(p.op in ("removed", "moved") or p.shifted for p in pairs)


def label(step: Any) -> str:
    """A step as a reviewer names it: its type and what it sends or asks (`task 'Connect on
    LinkedIn'`, `auto_email 'intro'`, `auto_email 'intro-a', 'intro-b'`)."""
    data = as_dict(step)
    what = ", ".join(_quoted(t) for t in templates_of(data))
    if not what and data.get("note"):
        what = _quoted(data["note"])
    return f"{data.get('type', 'step')} {what}".strip()


def _quoted(text: str) -> str:
    line = " ".join(str(text).split())
    return repr(line if len(line) <= LABEL_LIMIT else line[: LABEL_LIMIT - 1] + "…")


def step_ref(index: int, step: Any) -> str:
    """`step 4 · task 'Connect on LinkedIn'` (1-based, as a person counts)."""
    return f"step {index + 1} · {label(step)}"


def shift_runs(pairs: Iterable[StepPair]) -> list[tuple[int, int, int]]:
    """Kept steps that change position, as runs (first old index, last old index, offset)."""
    runs: list[list[int]] = []
    for p in pairs:
        if not p.shifted:
            continue
        offset = p.new - p.old
        if runs and runs[-1][2] == offset and runs[-1][1] == p.old - 1:
            runs[-1][1] = p.old
        else:
            runs.append([p.old, p.old, offset])
    return [(first, last, offset) for first, last, offset in runs]


def shift_text(first: int, last: int, offset: int) -> str:
    """`steps 5-6 move up one`, `step 3 moves down two` (1-based)."""
    count = {1: "one", 2: "two", 3: "three"}.get(abs(offset), str(abs(offset)))
    way = "up" if offset < 0 else "down"
    if first == last:
        return f"step {first + 1} moves {way} {count} (now step {first + offset + 1})"
    now = f"{first + offset + 1}\u2013{last + offset + 1}"
    return f"steps {first + 1}\u2013{last + 1} move {way} {count} (now {now})"
