"""The planner: manifests + live state -> a Plan of typed changes (DESIGN §2, §4).

`draft_plan` is pure (manifests and a LiveState in, a Plan without impacts out) so it can be
tested on hand-built live states (`seqops.plan.drafter`); `plan` reads the provider, drafts,
asks the provider for the prospects in every sequence the plan touches or whose old version
it watches, and finishes the draft with them (`seqops.plan.finishing`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from seqops.manifest.models import Resource
from seqops.plan import budget, glossary, safety
from seqops.plan.account_checks import AccountCheckError, account_problems, replace_problems
from seqops.plan.automation import outreach_note
from seqops.plan.drafter import PLANNED_KINDS, Drafter, owned
from seqops.plan.errors import EmptyManifestSet
from seqops.plan.finishing import counted_sequences
from seqops.plan.finishing import finish as finish_draft
from seqops.plan.plan import Plan
from seqops.plan.safety import SafetyThresholds
from seqops.plan.selection import Selection
from seqops.providers.base import Impact, LiveState, Provider

__all__ = ["draft_plan", "finish", "plan", "select"]


async def plan(
    resources: list[Resource],
    provider: Provider,
    target: str,
    *,
    target_description: str = "",
    allow_delete: bool = False,
    thresholds: SafetyThresholds | None = None,
    selection: Selection = Selection(),
) -> Plan:
    """Read the account once, diff it against `resources`, count prospects on what changes,
    and record the flags apply will need under `thresholds` (the target's). With a
    `selection`, only the selected resources' changes are kept (`seqops.plan.selection`)."""
    _refuse_empty(resources)
    state = await provider.read()
    checked = [
        r for r in resources if r.kind in PLANNED_KINDS and selection.matches(r.kind, r.name)
    ]
    problems = account_problems(checked, state)
    draft = draft_plan(resources, state, target, allow_delete=allow_delete)
    draft = select(draft, selection, resources)
    problems += replace_problems(draft.changes)
    if problems:
        raise AccountCheckError(problems)
    draft.target_description = target_description or provider.description
    ids = counted_sequences(draft)
    finished = finish(draft, await provider.impact(ids) if ids else {}, state.now)
    annotated = safety.annotate(finished, thresholds or SafetyThresholds())
    recounted = "--allow-disruption" not in annotated.requires
    annotated.budget = budget.estimate(
        annotated.changes, provider.rate_budget(), recounted=recounted
    )
    return annotated


def draft_plan(
    resources: list[Resource], state: LiveState, target: str, *, allow_delete: bool = False
) -> Plan:
    """The plan's changes before impacts are known (pure)."""
    _refuse_empty(resources)
    planned = [r for r in resources if r.kind in PLANNED_KINDS]
    if not planned and owned(state):
        raise EmptyManifestSet(
            "no Sequence, Template or Ruleset manifests were loaded: refusing to plan the "
            f"retirement of all {len(owned(state))} owned objects (mark them `state: absent`)"
        )
    drafter = Drafter(state, allow_delete)
    draft = drafter.draft(planned, target, outreach_note(resources))
    draft.manifest_kinds = dict(Counter(r.kind for r in resources))
    draft.templates = glossary.templates(draft.changes, resources, state)
    return draft


def select(draft: Plan, selection: Selection, resources: list[Resource]) -> Plan:
    """`draft` with only the changes `selection` keeps (all of them without one); old versions
    are watched only for the selected sequences."""
    known = [(r.kind, r.name) for r in resources]
    draft.changes, notes = selection.restrict(draft.changes, known)
    draft.changes = sorted(draft.changes)
    draft.warnings = [*notes, *draft.warnings]
    if selection:
        draft.old_versions = [o for o in draft.old_versions if selection.matches("Sequence", o.key)]
        draft.abandoned = [c for c in draft.abandoned if selection.matches(c.kind, c.name)]
    return draft


def finish(draft: Plan, impacts: dict[int, Impact], now: dt.datetime | None = None) -> Plan:
    """Attach impacts and settle what depends on them (`seqops.plan.finishing.finish`)."""
    return finish_draft(draft, impacts, now)


def _refuse_empty(resources: list[Resource]) -> None:
    if not resources:
        raise EmptyManifestSet(
            "no manifests were loaded: refusing to plan the retirement of every owned object"
        )
