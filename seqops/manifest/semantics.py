"""Layer 3: rules across fields and across manifests, on documents that passed layers 1 and 2.

Each rule is a small generator of findings. Per-resource rules get the `Catalog` of names the
whole set defines, so a reference resolves to a manifest in any file, in any order.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from seqops.manifest.errors import Finding
from seqops.manifest.models import AutomationRule, Resource, Sequence
from seqops.manifest.models.sequence import TASK_STEP_TYPES, Step
from seqops.manifest.schema_check import suggest


@dataclass
class Catalog:
    """The names each kind defines: present, retired (`state: absent`), or in documents that
    failed an earlier layer (already reported, so references to them are not reported again)."""

    present: dict[str, set[str]] = field(default_factory=dict)
    absent: dict[str, set[str]] = field(default_factory=dict)
    broken: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, resources: Iterable[Resource], broken: Mapping[str, set[str]]) -> Catalog:
        catalog = cls(broken={kind: set(names) for kind, names in broken.items()})
        for resource in resources:
            bucket = catalog.absent if resource.absent else catalog.present
            bucket.setdefault(resource.kind, set()).add(resource.name)
        return catalog

    def unresolved(self, kind: str, name: str) -> str | None:
        """Why a reference to `kind` `name` does not resolve, or None when it does."""
        if name in self.present.get(kind, ()) or name in self.broken.get(kind, ()):
            return None
        if name in self.absent.get(kind, ()):
            return f"{kind}/{name} is retired (state: absent)"
        hint = suggest(name, self.present.get(kind, ()))
        return f"no {kind} named {name!r}" + (f" (did you mean {hint!r}?)" if hint else "")


Where = Callable[..., str]
"""FILE:LINE of a resource, or of a path inside it (`where(r, ("metadata", "name"))`), to
name the other side of a duplicate."""


def check(
    resources: list[Resource], where: Where, broken: Mapping[str, set[str]]
) -> Iterator[tuple[Resource, Finding]]:
    """Every semantic finding of the set, with the resource it belongs to."""
    catalog = Catalog.of(resources, broken)
    yield from unique_names(resources, where)
    yield from unique_display_names(resources, where)
    yield from unique_ids(resources, where)
    yield from unique_automation_targets(resources, where)
    for resource in resources:
        if resource.absent:
            continue  # a retired resource is only disabled: its spec is never applied
        for rule in RULES.get(resource.kind, ()):
            for finding in rule(resource, catalog):
                yield resource, finding


def _duplicates(
    resources: list[Resource], key: Callable[[Resource], object]
) -> Iterator[tuple[Resource, Resource]]:
    first: dict[object, Resource] = {}
    for resource in resources:
        value = key(resource)
        if value is None:
            continue
        if value in first:
            yield resource, first[value]
        else:
            first[value] = resource


def unique_names(resources: list[Resource], where: Where) -> Iterator[tuple[Resource, Finding]]:
    for resource, other in _duplicates(resources, lambda r: r.key):
        also = where(other, ("metadata", "name"))
        message = f"{resource.kind}/{resource.name} is defined twice (also at {also})"
        yield resource, Finding(("metadata", "name"), message)


def unique_display_names(
    resources: list[Resource], where: Where
) -> Iterator[tuple[Resource, Finding]]:
    """Two manifests of a kind with one live name could not be told apart in the account
    (adoption matches by name), unless both pin their live object with `metadata.id` (as
    export writes twins the account already has). Retired ones are left out: retiring `old`
    while `new` takes its name over is a rename."""

    def shown(resource: Resource) -> object:
        name = getattr(resource, "display_name", None)
        return (resource.kind, name) if name is not None and not resource.absent else None

    for resource, other in _duplicates(resources, shown):
        if resource.key == other.key:
            continue  # one manifest written twice: `unique_names` says so
        if resource.metadata.id and other.metadata.id:
            continue
        path = _display_path(resource)
        message = (
            f"displayName {getattr(resource, 'display_name', None)!r} is also the name of "
            f"{other.kind}/{other.name} (at {where(other, _display_path(other))}): "
            f"each {resource.kind} needs its own"
        )
        yield resource, Finding(path, message)


def _display_path(resource: Resource) -> tuple[str, str]:
    """Where a live name is written: `spec.displayName`, else `metadata.name` (its default)."""
    given = getattr(getattr(resource, "spec", None), "displayName", None) is not None
    return ("spec", "displayName") if given else ("metadata", "name")


def unique_ids(resources: list[Resource], where: Where) -> Iterator[tuple[Resource, Finding]]:
    def pinned(resource: Resource) -> object:
        return (resource.kind, resource.metadata.id) if resource.metadata.id else None

    for resource, other in _duplicates(resources, pinned):
        message = (
            f"metadata.id {resource.metadata.id} is already pinned by "
            f"{other.kind}/{other.name} at {where(other)}"
        )
        yield resource, Finding(("metadata", "id"), message)


def unique_automation_targets(
    resources: list[Resource], where: Where
) -> Iterator[tuple[Resource, Finding]]:
    """Two AutomationRules for one Coefficy sequence would contradict each other."""

    def target(resource: Resource) -> object:
        return resource.spec.sequence if isinstance(resource, AutomationRule) else None

    for resource, other in _duplicates(resources, target):
        message = (
            f"Coefficy sequence {target(resource)} already has AutomationRule/{other.name} "
            f"(at {where(other)})"
        )
        yield resource, Finding(("spec", "sequence"), message)


# --- Sequence rules ---------------------------------------------------------------------------


def _step(i: int, *rest: str | int) -> tuple[str | int, ...]:
    return ("spec", "steps", i, *rest)


def step_timing(seq: Sequence, catalog: Catalog) -> Iterator[Finding]:
    """`wait` only in interval sequences, `date` only (and always) in date sequences."""
    dated = seq.spec.sequenceType == "date"
    for i, step in enumerate(seq.spec.steps):
        if dated and step.wait is not None:
            yield Finding(_step(i, "wait"), "`wait` is for interval sequences: use `date`", True)
        if dated and step.date is None:
            yield Finding(_step(i), "needs a `date`: this is a date sequence")
        if not dated and step.date is not None:
            yield Finding(
                _step(i, "date"),
                "`date` is for date sequences (sequenceType: date): use `wait`",
                True,
            )


def dates_ascending(seq: Sequence, catalog: Catalog) -> Iterator[Finding]:
    dated = [(i, s.date) for i, s in enumerate(seq.spec.steps) if s.date is not None]
    for (_, before), (i, day) in itertools.pairwise(dated):
        if day < before:
            yield Finding(_step(i, "date"), f"{day} comes before an earlier step's date {before}")


def email_templates(seq: Sequence, catalog: Catalog) -> Iterator[Finding]:
    """Email steps send a template (or several, A/B variants); other steps send none. Both
    `template` and `templates` on one step is a schema error."""
    for i, step in enumerate(seq.spec.steps):
        key = "templates" if step.templates is not None else "template"
        if step.is_email and not step.variants:
            yield Finding(_step(i), f"{_a(step.type)} step needs a `template` to send")
        elif not step.is_email and step.variants:
            yield Finding(_step(i, key), f"{_a(step.type)} step sends no email", True)
        elif step.is_email:
            yield from _variant_findings(i, step, catalog)


def _variant_findings(i: int, step: Step, catalog: Catalog) -> Iterator[Finding]:
    """Each template resolves; a variant is listed once."""
    if step.template is not None and (why := catalog.unresolved("Template", step.template)):
        yield Finding(_step(i, "template"), why)
    seen: set[str] = set()
    for j, name in enumerate(step.templates or ()):
        if name in seen:
            yield Finding(_step(i, "templates", j), f"template {name!r} is listed twice")
        elif why := catalog.unresolved("Template", name):
            yield Finding(_step(i, "templates", j), why)
        seen.add(name)


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def replies(seq: Sequence, catalog: Catalog) -> Iterator[Finding]:
    """A reply needs an earlier email in the sequence to reply to."""
    emailed = False
    for i, step in enumerate(seq.spec.steps):
        if step.isReply and not step.is_email:
            yield Finding(_step(i, "isReply"), "`isReply` is only for email steps", True)
        elif step.isReply and not emailed:
            yield Finding(_step(i, "isReply"), "nothing to reply to: no email step before it", True)
        emailed = emailed or step.is_email


def task_fields(seq: Sequence, catalog: Catalog) -> Iterator[Finding]:
    for i, step in enumerate(seq.spec.steps):
        if step.priority is not None and step.type not in TASK_STEP_TYPES:
            yield Finding(_step(i, "priority"), "`priority` is only for call and task steps", True)


def reply_pauses(seq: Sequence, catalog: Catalog) -> Iterator[Finding]:
    for who in ("primary", "secondary"):
        action = getattr(seq.spec, f"{who}ReplyAction")
        if getattr(seq.spec, f"{who}ReplyPauseDuration") is not None and action != "pause":
            yield Finding(
                ("spec", f"{who}ReplyPauseDuration"),
                f"a pause duration needs `{who}ReplyAction: pause` (it is {action or 'unset'})",
                True,
            )


def date_only_settings(seq: Sequence, catalog: Catalog) -> Iterator[Finding]:
    if seq.spec.maxActivations is not None and seq.spec.sequenceType != "date":
        yield Finding(("spec", "maxActivations"), "`maxActivations` is for date sequences", True)


def ruleset_reference(seq: Sequence, catalog: Catalog) -> Iterator[Finding]:
    if seq.spec.ruleset is not None and (why := catalog.unresolved("Ruleset", seq.spec.ruleset)):
        yield Finding(("spec", "ruleset"), why)


Rule = Callable[..., Iterator[Finding]]
RULES: dict[str, tuple[Rule, ...]] = {
    "Sequence": (
        step_timing,
        dates_ascending,
        email_templates,
        replies,
        task_fields,
        reply_pauses,
        date_only_settings,
        ruleset_reference,
    ),
}
"""Rules per kind. AutomationRule blocks are checked whole by their model (and its schema)."""
