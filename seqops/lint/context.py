"""What rules look at: the manifest set, indexed the ways rules ask for it."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from seqops.manifest.errors import Path
from seqops.manifest.models import Resource, Ruleset, Template
from seqops.manifest.models import Sequence as SequenceResource
from seqops.manifest.models.sequence import Step


@dataclass(frozen=True)
class Use:
    """One email step that sends a template: which sequence, which step, and where it says so."""

    sequence: SequenceResource
    index: int
    step: Step
    path: Path
    """Of the template reference inside the sequence's document."""


SNIPPET_LABEL = ("seqops/use", "snippet")
"""`metadata.labels: {seqops/use: snippet}` marks a template kept for one-off replies, never
sent by a sequence: `hygiene/unused-template` leaves it alone and its subject is not sent."""


def never_seen(resource: Resource, path: Path) -> str | None:
    return None


def nowhere(name: str) -> bool:
    return False


@dataclass
class Context:
    resources: Sequence[Resource]
    custom_fields: frozenset[str] = frozenset()
    today: datetime.date = field(default_factory=datetime.date.today)
    people: list | None = None
    """Prospects read from a target (`seqops lint --target`, `seqops.preview.Person`); None
    offline, where rules that need them report nothing."""
    written: Callable[[Resource, Path], str | None] = never_seen
    """The scalar at a path as the source writes it (`48` or `48h`), where the source is known."""
    sequences_complete: bool = True
    """Every sequence document loaded valid: no template reference is unknown or broken."""
    used_elsewhere: Callable[[str], bool] = nowhere
    """Whether manifests outside the load (a partial lint) may send a template of that name."""

    @cached_property
    def templates(self) -> dict[str, Template]:
        return {r.name: r for r in self._present(Template)}

    @cached_property
    def rulesets(self) -> dict[str, Ruleset]:
        return {r.name: r for r in self._present(Ruleset)}

    @cached_property
    def sequences(self) -> list[SequenceResource]:
        return list(self._present(SequenceResource))

    @cached_property
    def uses(self) -> dict[str, list[Use]]:
        """Template name -> the email steps of present sequences that send it."""
        found: dict[str, list[Use]] = {}
        for sequence in self.sequences:
            for index, step in enumerate(sequence.spec.steps):
                for name, path in step_templates(step, index):
                    found.setdefault(name, []).append(Use(sequence, index, step, path))
        return found

    def is_snippet(self, template: Template) -> bool:
        key, value = SNIPPET_LABEL
        return template.metadata.labels.get(key) == value

    def subject_sent(self, template: Template) -> bool:
        """False for a template only ever sent as a reply, or a snippet: its subject never
        reaches anyone (a reply goes out under the thread's subject)."""
        if self.is_snippet(template):
            return False
        uses = self.uses.get(template.name)
        return not uses or not all(use.step.isReply for use in uses)

    def _present(self, kind: type) -> Iterator:
        # by kind name: pydantic's isinstance is a metaclass hook, slow over thousands
        name = kind.__name__
        return (r for r in self.resources if r.kind == name and r.state != "absent")


def step_templates(step: Step, index: int) -> list[tuple[str, Path]]:
    """The templates an email step sends, each with the path of its reference: `template`, or
    each of `templates` (A/B variants) when the model has them."""
    here: Path = ("spec", "steps", index)
    if not step.is_email:
        return []
    found: list[tuple[str, Path]] = []
    if step.template:
        found.append((step.template, (*here, "template")))
    variants = getattr(step, "templates", None) or []
    for i, variant in enumerate(variants):
        name = variant if isinstance(variant, str) else getattr(variant, "template", None)
        if isinstance(name, str):
            found.append((name, (*here, "templates", i)))
    return found
