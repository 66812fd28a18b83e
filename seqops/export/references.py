"""References between live objects, rewritten to export names.

The provider writes a step's `template` and a sequence's `ruleset` as the referenced object's
live `metadata.name`; export may name objects differently (collisions, pins), so each reference
is resolved to the live object first (by id when the provider knows it) and renamed from there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from seqops.export.naming import Naming
from seqops.providers.base import LiveObject, LiveState, LiveStep


@dataclass
class References:
    naming: Naming
    by_id: dict[tuple[str, int], LiveObject] = field(default_factory=dict)
    by_live_name: dict[tuple[str, str], LiveObject] = field(default_factory=dict)
    users: dict[int, list[LiveObject]] = field(default_factory=lambda: defaultdict(list))
    """template id -> the sequences whose steps send it (each sequence once, in id order)."""

    def templates_of(
        self, step: LiveStep | None, names: tuple[str, ...]
    ) -> list[LiveObject | None]:
        """The templates a step sends (its A/B variants), found by the ids it is bound to
        (two twins share a name), else by name; None for one the account does not show."""
        bindings = step.bindings() if step else []
        bound = [self.by_id.get(("Template", t)) for _, t in bindings if t is not None]
        return [self._template(name, [b for b in bound if b]) for name in names]

    def _template(self, name: str, bound: list[LiveObject]) -> LiveObject | None:
        found = next((t for t in bound if t.resource.metadata.name == name), None)
        return found or self.by_live_name.get(("Template", name))

    def ruleset_of(self, live_name: str | None) -> LiveObject | None:
        return self.by_live_name.get(("Ruleset", live_name)) if live_name else None


def index(state: LiveState, naming: Naming) -> References:
    refs = References(naming)
    for obj in sorted(state.objects, key=lambda o: (o.kind, o.id)):
        refs.by_id[(obj.kind, obj.id)] = obj
        refs.by_live_name.setdefault((obj.kind, obj.resource.metadata.name), obj)
    for sequence in sorted(state.of_kind("Sequence"), key=lambda o: o.id):
        for template in templates_used(sequence, refs):
            refs.users[template.id].append(sequence)
    return refs


def step_templates(sequence: LiveObject, refs: References) -> list[list[LiveObject | None]]:
    """The templates each step sends (none for steps without one), parallel to the steps."""
    steps = sequence.sequence.spec.steps
    live_steps = _padded(sequence.steps, len(steps))
    return [
        refs.templates_of(live, step.variants) for step, live in zip(steps, live_steps, strict=True)
    ]


def templates_used(sequence: LiveObject, refs: References) -> list[LiveObject]:
    """Every template the sequence's steps send, each once, in step order."""
    found = [t for sent in step_templates(sequence, refs) for t in sent if t is not None]
    return list({t.id: t for t in found}.values())


def _padded(steps: list[LiveStep], n: int) -> list[LiveStep | None]:
    return [*steps[:n], *([None] * (n - len(steps)))]
