"""Join the listed collections of an account into a `LiveState`, in memory.

`read()` lists every collection once (a few pages each, never one GET per sequence), reducing
each page to compact records (`records`) as it arrives; this module links steps to sequences,
sequenceTemplates to steps, and ids to manifest names, dropping the records as it goes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from seqops.providers.base import LiveObject, LiveState, LiveStep
from seqops.providers.outreach import mapping
from seqops.providers.outreach.mapping import Names
from seqops.providers.outreach.records import SHAPES, Record

LISTED = {
    "templates": SHAPES["template"],
    "rulesets": SHAPES["ruleset"],
    "sequences": SHAPES["sequence"],
    "sequenceSteps": SHAPES["sequenceStep"],
    "sequenceTemplates": SHAPES["sequenceTemplate"],
    "users": SHAPES["user"],
    "stages": SHAPES["stage"],
    "taskPriorities": SHAPES["taskPriority"],
}
"""What `read()` lists, each at page[size]=1000, and the shape it keeps of each resource (also
its sparse fieldset: the server sends nothing else)."""
COLLECTIONS = tuple(LISTED)


def live_state(listed: dict[str, list[Record]]) -> LiveState:
    """The account as the planner sees it, from each collection's full listing. Consumes
    `listed`: records are dropped as their objects are built, so both never coexist in full."""
    names = Names(
        users=mapping.by_id(_take(listed, "users"), "email"),
        stages=mapping.by_id(_take(listed, "stages"), "name"),
        task_priorities=mapping.by_id(_take(listed, "taskPriorities"), "name"),
        templates=mapping.assign_names(map(mapping.candidate, listed["templates"]), "Template"),
        rulesets=mapping.assign_names(
            (mapping.candidate(r, owned=False) for r in listed["rulesets"]), "Ruleset"
        ),
    )
    objects = [template_object(r, names) for r in _drain(listed, "templates")]
    objects += [ruleset_object(r, names) for r in _drain(listed, "rulesets")]
    objects += sequence_objects(listed, names)
    return LiveState(
        objects=objects,
        users=_inverse(names.users),
        stages=_inverse(names.stages),
        task_priorities=_inverse(names.task_priorities),
    )


def template_object(record: Record, names: Names) -> LiveObject:
    template = mapping.template_from(record, names.templates[record.id])
    owner = mapping.owner_key(record.get("tags"))
    return LiveObject(template, record.id, record.get("updatedAt"), owner, results=record.results())


def ruleset_object(record: Record, names: Names) -> LiveObject:
    ruleset = mapping.ruleset_from(record, names.rulesets[record.id], names)
    return LiveObject(ruleset, record.id, record.get("updatedAt"))


def sequence_objects(listed: dict[str, list[Record]], names: Names) -> list[LiveObject]:
    seq_names = mapping.assign_names(map(mapping.candidate, listed["sequences"]), "Sequence")
    steps = _group(_take(listed, "sequenceSteps"), "sequence")
    bindings = _group(_take(listed, "sequenceTemplates"), "sequenceStep")
    return [
        sequence_object(r, seq_names[r.id], steps.pop(r.id, []), bindings, names)
        for r in _drain(listed, "sequences")
    ]


def sequence_object(
    record: Record,
    name: str,
    step_records: list[Record],
    bindings: dict[int, list[Record]],
    names: Names,
) -> LiveObject:
    """One sequence with its steps; the steps' bindings are taken out of `bindings`. Each
    distinct template bound to a step is one of its variants; a binding to a template the
    account does not list is left out (nothing can name it, so nothing removes it), and kept on
    the `LiveStep` only so that the plan can say so."""
    sequence_type = record.get("sequenceType") or "interval"
    ordered = sorted(step_records, key=lambda s: (s.get("order") or 0, s.id))
    live_steps, steps = [], []
    for step in ordered:
        every = bindings.pop(step.id, [])
        bound = [b for b in every if b.related("template") in names.templates]
        binding = current_binding(bound)
        steps.append(mapping.step_from(step, binding, bound, sequence_type, names))
        live_steps.append(live_step(step, binding, bound))
        live_steps[-1].unreadable_template_ids = sorted(
            {t for b in every if (t := b.related("template")) is not None} - set(names.templates)
        )
    sequence = mapping.sequence_from(record, name, steps, names)
    owner = mapping.owner_key(record.get("tags"))
    return LiveObject(sequence, record.id, record.get("updatedAt"), owner, live_steps)


def live_step(step: Record, binding: Record | None, all_bindings: list[Record]) -> LiveStep:
    """The step's identity and every binding it has: `binding` first, then the others (its
    other variants, and duplicates of a template, which the planner repairs)."""
    extra = sorted((b for b in all_bindings if b is not binding), key=lambda b: b.id)
    return LiveStep(
        id=step.id,
        order=int(step.get("order") or 0),
        updated_at=step.get("updatedAt"),
        sequence_template_id=binding.id if binding else None,
        template_id=binding.related("template") if binding else None,
        extra_sequence_template_ids=[b.id for b in extra],
        extra_template_ids=[b.related("template") for b in extra],
        results=step.results(),
    )


def current_binding(bindings: list[Record]) -> Record | None:
    """The step's main sequenceTemplate (its isReply is the step's): an enabled one, the
    newest if several."""
    enabled = [b for b in bindings if b.get("enabled") is not False] or bindings
    return max(enabled, key=lambda b: b.id, default=None)


def _group(records: Iterable[Record], relationship: str) -> dict[int, list[Record]]:
    groups: dict[int, list[Record]] = defaultdict(list)
    for record in records:
        parent = record.related(relationship)
        if parent is not None:
            groups[parent].append(record)
    return groups


def _drain(listed: dict[str, list[Record]], collection: str) -> Iterable[Record]:
    """The collection's records by id, each let go once its object is built."""
    records = sorted(_take(listed, collection), key=lambda r: r.id, reverse=True)
    while records:
        yield records.pop()


def _take(listed: dict[str, list[Record]], collection: str) -> list[Record]:
    """The collection's records, emptying the listed one in place: whoever else still holds
    that list (asyncio keeps a finished task's result) does not keep the records alive."""
    records = listed.pop(collection)
    taken = records[:]
    records.clear()
    return taken


def _inverse(table: dict[int, str]) -> dict[str, int]:
    inverse: dict[str, int] = {}
    for id, name in sorted(table.items()):
        inverse.setdefault(name, id)
    return inverse
