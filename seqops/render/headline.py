"""What a change changes, in the few words of a collapsed title: `subject line, email body`,
`step 4 removed`, `step 2 wait 2d → 3d`, `new, 5 steps`."""

from __future__ import annotations

from seqops.manifest.models import Sequence
from seqops.plan.changes import Change
from seqops.plan.diff import FieldDiff
from seqops.render import longtext, words
from seqops.render.stepview import StepChange, is_step_entry, step_changes

MOST = 4


def what(change: Change, names: words.Names) -> str:
    """The phrases, the first `MOST` of them and how many more."""
    phrases = _phrases(change, names)
    if len(phrases) > MOST:
        phrases = [*phrases[:MOST], f"{len(phrases) - MOST} more"]
    return ", ".join(phrases)


def _phrases(change: Change, names: words.Names) -> list[str]:
    if change.action == "create":
        steps = len(change.desired.spec.steps) if isinstance(change.desired, Sequence) else 0
        return ["new"] + ([f"{steps} step{'s' if steps != 1 else ''}"] if steps else [])
    fields = [_field(d.path, d.old, d.new) for d in change.diff if _titled(d)]
    return fields + [_step(s) for s in step_changes(change, names)]


def _titled(diff: FieldDiff) -> bool:
    """A setting of the object itself (the old version's rename is told by the reason)."""
    return (
        not is_step_entry(diff)
        and "steps" not in diff.path
        and not diff.path.startswith(words.OLD_VERSION)
    )


def _field(path: str, old: object, new: object) -> str:
    name = words.label(path).lower()
    if longtext.is_long(old, new) or isinstance(old, (list, dict)) or isinstance(new, (list, dict)):
        return name
    before, after = words.value(path, old), words.value(path, new)
    if before is None or after is None or len(f"{before}{after}") > 24:
        return name
    return f"{name} {before} → {after}"


def _step(step: StepChange) -> str:
    number = f"step {step.number}"
    if step.op == "removed":
        return f"{number} removed"
    if step.op == "inserted":
        return f"{number} {'added' if step.appended else 'inserted'}"
    if step.op == "moved":
        return f"{number} moved from step {(step.old_index or 0) + 1}"
    changed = [_field(d.path, d.old, d.new) for d in step.fields]
    return f"{number} {', '.join(changed)}" if changed else f"{number} changed"
