"""Which sequenceTemplates a step should keep, add and remove: the one place that decides.

An email step sends every template bound to it through a sequenceTemplate (A/B variants). The
manifest lists the templates it wants; the live step has its bindings. Reconciling the two:
- a wanted template already bound keeps one binding (the one it sends now, else the newest);
- a wanted template not bound gets a new binding, made before anything is unbound so the step
  is never left without a template;
- a binding to a template the manifest no longer lists goes (the manifest says so);
- a second binding of one template (a racing apply's duplicate) goes: that is a repair.
Bindings to templates the account does not list are never among a `LiveStep`'s bindings (the
provider keeps only their template ids, in `unreadable_template_ids`, for the plan's warning),
so nothing here can remove them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from seqops.providers.base import LiveStep


@dataclass(frozen=True)
class BindingChanges:
    keep: dict[int, int] = field(default_factory=dict)
    """template id -> the sequenceTemplate id that stays."""
    create: list[int] = field(default_factory=list)
    """template ids to bind, in the manifest's order."""
    delete: list[int] = field(default_factory=list)
    """sequenceTemplate ids to remove, oldest first."""

    @property
    def empty(self) -> bool:
        return not self.create and not self.delete


def reconcile_bindings(live: LiveStep, want: Iterable[int]) -> BindingChanges:
    """What makes `live`'s bindings exactly one per template of `want`."""
    wanted = list(dict.fromkeys(want))
    bound = {t for _, t in live.bindings()}
    keep = {t: _kept(live, t) for t in wanted if t in bound}
    create = [t for t in wanted if t not in keep]
    delete = [b for b, _ in live.bindings() if b not in keep.values()]
    return BindingChanges(keep, create, delete)


def duplicate_bindings(live: LiveStep) -> list[int]:
    """The sequenceTemplates that bind a template the step already sends (a repair)."""
    template_ids = {t for _, t in live.bindings() if t is not None}
    kept = {_kept(live, t) for t in template_ids}
    return [b for b, t in live.bindings() if t is not None and b not in kept]


def _kept(live: LiveStep, template_id: int) -> int:
    if live.template_id == template_id and live.sequence_template_id is not None:
        return live.sequence_template_id  # the one it sends now (enabled, newest)
    return max(b for b, t in live.bindings() if t == template_id)
