"""The planner: manifests + live state -> a Plan of typed changes (DESIGN §2, §4).

`draft_plan` is pure (manifests and a LiveState in, a Plan without impacts out) so it can be
tested on hand-built live states; `plan` reads the provider, drafts, then asks the provider for
the prospects in every sequence the plan would touch and applies the delete rule.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from functools import cached_property

from seqops.manifest.models import Resource, Sequence, Step
from seqops.plan import glossary, safety
from seqops.plan.account_checks import AccountCheckError, account_problems, replace_problems
from seqops.plan.automation import outreach_note
from seqops.plan.changes import (
    CARRIED,
    REFERENCED_KINDS,
    Adopt,
    Change,
    Create,
    Delete,
    Disable,
    Enable,
    Replace,
    Update,
)
from seqops.plan.diff import FieldDiff, attribute_diff
from seqops.plan.errors import EmptyManifestSet, IdentityError
from seqops.plan.identity import Match, Matching, Twin, match_all
from seqops.plan.left_alone import unreadable_bindings
from seqops.plan.plan import Plan
from seqops.plan.recovery import resume_note, retire_older, wants_enabled
from seqops.plan.references import referenced
from seqops.plan.safety import SafetyThresholds
from seqops.plan.selection import Selection
from seqops.plan.steps import needs_replace, replace_reason, step_diff
from seqops.plan.versions import (
    is_retired,
    next_version_name,
    renamed,
    retired_owner,
    version_of,
)
from seqops.providers.base import Ids, Impact, LiveObject, LiveState, Provider, SequenceImpact

PLANNED_KINDS = ("Template", "Ruleset", "Sequence")
IMPACT_ACTIONS = {"update", "adopt", "replace", "disable", "delete", "enable"}


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
    ids = sorted(_counted_sequences(draft.changes))
    finished = finish(draft, await provider.impact(ids) if ids else {})
    return safety.annotate(finished, thresholds or SafetyThresholds())


def draft_plan(
    resources: list[Resource], state: LiveState, target: str, *, allow_delete: bool = False
) -> Plan:
    """The plan's changes before impacts are known (pure)."""
    _refuse_empty(resources)
    planned = [r for r in resources if r.kind in PLANNED_KINDS]
    if not planned and _owned(state):
        raise EmptyManifestSet(
            "no Sequence, Template or Ruleset manifests were loaded: refusing to plan the "
            f"retirement of all {len(_owned(state))} owned objects (mark them `state: absent`)"
        )
    draft = _Planner(state, allow_delete).draft(planned, target, audit_automation_rules(resources))
    draft.manifest_kinds = dict(Counter(r.kind for r in resources))
    draft.templates = glossary.templates(draft.changes, resources, state)
    return draft


def select(draft: Plan, selection: Selection, resources: list[Resource]) -> Plan:
    """`draft` with only the changes `selection` keeps (all of them without one)."""
    known = [(r.kind, r.name) for r in resources]
    draft.changes, notes = selection.restrict(draft.changes, known)
    draft.changes = sorted(draft.changes)
    draft.warnings = [*notes, *draft.warnings]
    return draft


def finish(draft: Plan, impacts: dict[int, Impact]) -> Plan:
    """Attach impacts; a delete of a sequence with prospects becomes a disable (never a delete);
    a twin with prospects is an error (which of the two is the real one is then a guess)."""
    changes = []
    for change in draft.changes:
        if _carries_impact(change):
            change.impact = _carried(change, impacts)
        else:
            change.impact = impacts.get(change.id, Impact()) if _needs_impact(change) else None  # type: ignore[arg-type]
        changes += _safe_delete(change)
    problems = [_busy_twin(c) for c in changes if _is_busy_twin(c)]
    if problems:
        raise IdentityError(problems)
    draft.changes = sorted(changes)
    return draft


def audit_automation_rules(resources: list[Resource]) -> list[str]:
    """AutomationRules are audited against a Coefficy target (`seqops.plan.automation`); an
    Outreach plan skips them, saying so in one line."""
    return outreach_note(resources)


def _refuse_empty(resources: list[Resource]) -> None:
    if not resources:
        raise EmptyManifestSet(
            "no manifests were loaded: refusing to plan the retirement of every owned object"
        )


def _owned(state: LiveState) -> list[LiveObject]:
    return [
        o
        for o in state.objects
        if o.kind in ("Template", "Sequence") and o.owner and not is_retired(o.owner)
    ]


def _needs_impact(change: Change) -> bool:
    return change.kind == "Sequence" and change.action in IMPACT_ACTIONS and change.id is not None


def _carries_impact(change: Change) -> bool:
    """A Template or Ruleset change whose new content reaches the sequences that use it."""
    return change.kind in REFERENCED_KINDS and change.action in CARRIED


def _counted_sequences(changes: list[Change]) -> set[int]:
    """The live sequences whose prospects the plan must count (one request each)."""
    ids = {c.id for c in changes if _needs_impact(c)}
    ids |= {id for c in changes if _carries_impact(c) for id, _ in c.carriers}
    return ids  # type: ignore[return-value]


def _carried(change: Change, impacts: dict[int, Impact]) -> Impact:
    """The prospects of every sequence that uses the template or ruleset, summed; the
    sequences that have any are named."""
    reached = [
        SequenceImpact(id, name, impacts[id].active, impacts[id].paused)
        for id, name in change.carriers
        if id in impacts and impacts[id].total
    ]
    return Impact(
        active=sum(s.active for s in reached),
        paused=sum(s.paused for s in reached),
        sequences=tuple(sorted(reached, key=lambda s: (s.name, s.id))),
    )


def _templates_sent(sequence: LiveObject) -> set[int | None]:
    return {t for step in sequence.steps for t in (step.template_id, *step.extra_template_ids)}


def _is_busy_twin(change: Change) -> bool:
    twin_of = getattr(change, "twin_of", None)
    return twin_of is not None and change.impact is not None and change.impact.total > 0


def _busy_twin(change: Change) -> str:
    impact = change.impact
    return (
        f"{change.kind}/{change.name}: live sequences {change.twin_of} and {change.id} are both "  # type: ignore[attr-defined]
        f"tagged seqops:{change.name} and {change.id} has {impact.active} active and "  # type: ignore[union-attr]
        f"{impact.paused} paused prospects; pin the one to keep with metadata.id "  # type: ignore[union-attr]
        "(the other is then retired)"
    )


def _safe_delete(change: Change) -> list[Change]:
    if change.action != "delete" or change.kind != "Sequence" or not change.impact:
        return [change]
    if not change.impact.enrolled:
        return [change]
    note = (
        f"not deleted: {change.impact.active} active and {change.impact.paused} paused prospects "
        "are still in it"
    )
    if not change.existing.resource.spec.enabled:  # type: ignore[union-attr]
        return []
    return [Disable(**_common(change), warnings=[*change.warnings, note + "; disabled instead"])]


def _common(change: Change) -> dict:
    return {
        "kind": change.kind,
        "name": change.name,
        "existing": change.existing,
        "impact": change.impact,
        "reason": change.reason,
    }


class _Planner:
    def __init__(self, state: LiveState, allow_delete: bool):
        self.state = state
        self.allow_delete = allow_delete
        self.renames: dict[tuple[str, str], str] = {}
        self.warnings: list[str] = []
        self.matching = Matching()

    def draft(self, resources: list[Resource], target: str, warnings: list[str]) -> Plan:
        matching = self.matching = match_all(resources, self.state)
        for m in matching.matches:
            if m.live is not None:
                self.renames[(m.live.kind, m.live.resource.name)] = m.desired.name
        changes: list[Change] = []
        for m in matching.matches:
            changes += self.for_match(m)
        for key, live in [*matching.superseded, *matching.retired_running]:
            changes.append(retire_older(key, live, self.current(key)))
        changes += [self.retire_twin(twin) for twin in matching.twins]
        for live in matching.orphans:
            changes += self.retire(live, live.owner or live.resource.name, "no manifest: retired")
        return Plan(
            target=target,
            changes=changes,
            warnings=[*warnings, *self.warnings],
            owned_resources=len(_owned(self.state)),
            enabled_sequences=sum(
                o.kind == "Sequence" and bool(o.resource.spec.enabled)  # type: ignore[attr-defined]
                for o in _owned(self.state)
            ),
            references=referenced(self.references(matching.matches), changes),
        )

    def for_match(self, m: Match) -> list[Change]:
        live = self.translate(m.live) if m.live else None
        if m.desired.absent:
            return self.retire(live, m.desired.name, "state: absent") if live else []
        if isinstance(m.desired, Sequence):
            return self.sequence(m.desired, live, m.adopt)
        return self.simple(m.desired, live, m.adopt)

    def simple(self, desired: Resource, live: LiveObject | None, adopt: bool) -> list[Change]:
        """Templates and rulesets: create, adopt or update attributes."""
        diff = attribute_diff(desired, live.resource if live else None)
        common = {"kind": desired.kind, "name": desired.name, "desired": desired, "diff": diff}
        if live is None:
            return [Create(**common)]
        carriers = self.carriers(live)
        if adopt:
            return [Adopt(**common, existing=live, carriers=carriers)]
        return [Update(**common, existing=live, carriers=carriers)] if diff else []

    def carriers(self, live: LiveObject) -> tuple[tuple[int, str], ...]:
        """(id, display name) of every live sequence that sends this template or uses this
        ruleset, retired versions included: their prospects get the new content."""
        if live.kind == "Template":
            uses = lambda s: live.id in _templates_sent(s)  # noqa: E731
        else:
            uses = lambda s: s.resource.spec.ruleset == live.resource.name  # noqa: E731
        return tuple((s.id, s.display_name) for s in self.state.of_kind("Sequence") if uses(s))

    def sequence(self, desired: Sequence, live: LiveObject | None, adopt: bool) -> list[Change]:
        common = {"kind": desired.kind, "name": desired.name, "desired": desired}
        if live is None:
            steps, _ = step_diff(desired, None)
            created = Create(**common, diff=attribute_diff(desired, None) + steps)
            return [created, *self.enabled(desired, None)]
        self.warnings += unreadable_bindings(desired.name, live)
        if needs_replace(desired, live):
            return [self.replace(desired, live, adopt)]
        desired = self.keep_version(desired, live)
        common["desired"] = desired
        attrs = attribute_diff(desired, live.resource)
        steps, writes = step_diff(desired, live, self.template_names)
        older = self.matching.older_versions(desired.name)
        resuming = resume_note(desired.name, live, desired) if older else None
        if resuming:
            self.warnings.append(resuming)
        changes: list[Change] = []
        if adopt or attrs or writes:
            cls = Adopt if adopt else Update
            changes.append(
                cls(
                    **common,
                    existing=live,
                    diff=attrs + steps,
                    write_attributes=bool(attrs) or adopt,
                    steps=writes,
                    reason=resuming,
                )
            )
        return changes + self.enabled(desired, live, wants_enabled(desired, live, older))

    def keep_version(self, desired: Sequence, live: LiveObject) -> Sequence:
        """A rename of a versioned sequence keeps its `(vN)` (`seqops.plan.versions.renamed`)."""
        name = renamed(desired.display_name, live.display_name, self._sequence_names())
        if name == desired.display_name:
            return desired
        spec = desired.spec.model_copy(update={"displayName": name})
        return desired.model_copy(update={"spec": spec})

    def replace(self, desired: Sequence, live: LiveObject, adopt: bool) -> Replace:
        reached = [version_of(o.display_name) for o in self._versions(desired.name)]
        new_name = next_version_name(
            desired.display_name, self._sequence_names(), max([1, *reached])
        )
        steps, _ = step_diff(desired, live, self.template_names)
        attrs = [d for d in attribute_diff(desired, live.resource) if d.path != "displayName"]
        diff = attrs + steps
        was_enabled = bool(live.resource.spec.enabled)  # type: ignore[attr-defined]
        enable = desired.spec.enabled if desired.spec.enabled is not None else was_enabled
        warnings = ["adopts a hand-made sequence and replaces it"] if adopt else []
        return Replace(
            kind=desired.kind,
            name=desired.name,
            desired=desired,
            existing=live,
            diff=[FieldDiff("displayName", live.display_name, new_name), *diff],
            new_display_name=new_name,
            enable_new=enable,
            warnings=warnings,
            reason=f"{replace_reason(desired, live)}: {new_name} replaces "
            f"{live.display_name!r}, which is disabled so its prospects finish where they are",
        )

    def enabled(
        self, desired: Sequence, live: LiveObject | None, want: bool | None = None
    ) -> list[Change]:
        want = desired.spec.enabled if want is None else want
        have = bool(live.resource.spec.enabled) if live else False  # type: ignore[attr-defined]
        if want is None or want == have:
            return []
        cls = Enable if want else Disable
        diff = [FieldDiff("enabled", have, want)]
        return [
            cls(kind=desired.kind, name=desired.name, desired=desired, existing=live, diff=diff)
        ]

    def current(self, key: str) -> LiveObject | None:
        """The live version a manifest of `key` matched (None: no manifest, or none live)."""
        return next(
            (
                m.live
                for m in self.matching.matches
                if (m.desired.kind, m.desired.name) == ("Sequence", key) and m.live
            ),
            None,
        )

    def retire_twin(self, twin: Twin) -> Disable:
        """Another live object tagged with a matched key: re-tagged `--retired` (and disabled)."""
        live, key, kind = twin.live, twin.key, twin.live.kind
        diff = [FieldDiff("ownership", f"seqops:{key}", f"seqops:{retired_owner(key)}")]
        if getattr(live.resource.spec, "enabled", False):
            diff.append(FieldDiff("enabled", True, False))
        why = "metadata.id pins" if twin.pinned else "the oldest (lowest id) is kept:"
        return Disable(
            kind=kind,
            name=key,
            existing=live,
            retire_as=retired_owner(key),
            twin_of=None if twin.pinned else twin.kept.id,
            diff=diff,
            reason=f"a twin of id {twin.kept.id}, also tagged seqops:{key}: retired",
            warnings=[
                f"live {kind.lower()}s {twin.kept.id} and {live.id} both carry seqops:{key} "
                f"(e.g. two applies raced); {why} {twin.kept.id}"
            ],
        )

    def retire(self, live: LiveObject, name: str, reason: str) -> list[Change]:
        """Retire an owned object: sequences are disabled (deleted with --allow-delete)."""
        if live.owner is None:
            self.warnings.append(
                f"{live.kind}/{name}: not owned by seqops, left as it is ({reason})"
            )
            return []
        common = {"kind": live.kind, "name": name, "existing": live, "reason": reason}
        if self.allow_delete and self._deletable(live, name):
            return [Delete(**common)]
        if live.kind == "Sequence":
            enabled = live.resource.spec.enabled  # type: ignore[attr-defined]
            return [Disable(**common, diff=[FieldDiff("enabled", True, False)])] if enabled else []
        if not self.allow_delete:
            self.warnings.append(
                f"{live.kind}/{name}: {reason}, left in place (--allow-delete deletes it)"
            )
        return []

    def _deletable(self, live: LiveObject, name: str) -> bool:
        """Templates still sent by a live step are kept (prospects in old versions need them)."""
        users = [s for s in self.state.of_kind("Sequence") if live.id in _templates_sent(s)]
        if live.kind == "Template" and users:
            names = ", ".join(sorted(repr(s.display_name) for s in users))
            self.warnings.append(f"{live.kind}/{name}: not deleted, still used by {names}")
            return False
        return True

    def translate(self, live: LiveObject) -> LiveObject:
        """The live object with its references in manifest names (an adopted template's slug
        becomes the manifest's name), so references compare equal."""
        if live.kind != "Sequence":
            return live
        spec = live.resource.spec  # type: ignore[attr-defined]
        steps = [self._step_names(s) for s in spec.steps]
        spec = spec.model_copy(
            update={"steps": steps, "ruleset": self._name("Ruleset", spec.ruleset)}
        )
        return dataclasses.replace(live, resource=live.resource.model_copy(update={"spec": spec}))

    def _step_names(self, step: Step) -> Step:
        templates = [self._name("Template", t) for t in step.templates or ()]
        return step.model_copy(
            update={
                "template": self._name("Template", step.template),
                "templates": templates or None,
            }
        )

    @cached_property
    def template_names(self) -> dict[int, str]:
        """Live template id -> the name a manifest calls it (for a step's extra bindings)."""
        return {
            o.id: self._name("Template", o.resource.name) for o in self.state.of_kind("Template")
        }  # type: ignore[misc]

    def _name(self, kind: str, name: str | None) -> str | None:
        return None if name is None else self.renames.get((kind, name), name)

    def _versions(self, key: str) -> list[LiveObject]:
        """Every live version of a sequence key: current, superseded and retired."""
        owners = {key, retired_owner(key)}
        return [o for o in self.state.of_kind("Sequence") if o.owner in owners]

    def _sequence_names(self) -> list[str]:
        return [o.display_name for o in self.state.of_kind("Sequence")]

    def references(self, matches: list[Match]) -> Ids:
        ids = Ids(users=dict(self.state.users), stages=dict(self.state.stages))
        ids.task_priorities = dict(self.state.task_priorities)
        for live in self.state.objects:
            if live.kind in ("Template", "Ruleset") and not is_retired(live.owner):
                self._ids_of(ids, live.kind)[live.resource.name] = live.id
        for m in matches:
            if m.live is not None and m.desired.kind in ("Template", "Ruleset"):
                self._ids_of(ids, m.desired.kind)[m.desired.name] = m.live.id
        return ids

    @staticmethod
    def _ids_of(ids: Ids, kind: str) -> dict[str, int]:
        return ids.templates if kind == "Template" else ids.rulesets
