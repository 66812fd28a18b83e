"""The references a plan carries: the live ids of the names its changes refer to, and no more.

A saved plan is a file people attach to pull requests and CI artefacts: it must not list every
user's email address of the account, only the owners, stages, task priorities, templates and
rulesets that the planned writes resolve.
"""

from __future__ import annotations

from collections.abc import Iterable

from seqops.manifest.models import Resource, Ruleset, Sequence
from seqops.manifest.models.ruleset import PRIORITY_FIELDS, STAGE_FIELDS
from seqops.plan.changes import Change
from seqops.providers.base import Ids


def referenced(ids: Ids, changes: Iterable[Change]) -> Ids:
    """`ids` restricted to the names the desired side of `changes` mentions."""
    wanted = Ids()
    for change in changes:
        for table, name in names_in(change.desired):
            if name in getattr(ids, table):
                getattr(wanted, table)[name] = getattr(ids, table)[name]
    return wanted


def names_in(resource: Resource | None) -> Iterable[tuple[str, str]]:
    """(Ids table, name) of every reference a manifest makes."""
    if isinstance(resource, Sequence):
        yield from _named("users", resource.spec.owner)
        yield from _named("rulesets", resource.spec.ruleset)
        for step in resource.spec.steps:
            for template in step.variants:
                yield "templates", template
            yield from _named("task_priorities", step.priority)
    elif isinstance(resource, Ruleset):
        values = resource.spec.model_dump()
        for field in STAGE_FIELDS:
            yield from _named("stages", values.get(field))
        for field in PRIORITY_FIELDS:
            yield from _named("task_priorities", values.get(field))


def _named(table: str, name: str | None) -> Iterable[tuple[str, str]]:
    if name is not None:
        yield table, name
