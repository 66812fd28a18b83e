"""Audit AutomationRule manifests against the live actions of their Coefficy sequences.

Coefficy copies a sequence's automations into every action it starts, and its API can't change
them. So the audit is a read-only drift report: for each rule, the running actions (not ended,
not stopped by a user) whose `automate*` settings differ from the manifest, field by field in
manifest terms. Ended actions are history: their differences could never be fixed, and reporting
them would be a perpetual diff.

    audits = await read_and_audit(rules, provider)   # one GET for all the rules' sequences
    audits = audit_rules(rules, actions)             # pure, given the actions

Each `RuleAudit` gives `drifts` (one per action and field), `groups` (one per field and pair of
values, with the actions concerned), `diff()` in the plan's `{path, old, new}` shape, and `lines()`
such as `onFailure.relaunch.supplies[1].supply: 12 → 14 (3 actions)` (live → manifest).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from seqops.manifest.models.automation_rule import AutomationRule
from seqops.providers.coefficy.mapping import FAMILIES, Action, Family
from seqops.providers.coefficy.provider import READ_ONLY_MESSAGE, CoefficyProvider

__all__ = [
    "READ_ONLY_MESSAGE",
    "Drift",
    "DriftGroup",
    "RuleAudit",
    "audit_rule",
    "audit_rules",
    "is_running",
    "read_and_audit",
]


@dataclass(frozen=True)
class Drift:
    """One field of one live action that differs from the manifest."""

    rule_name: str
    sequence_id: int
    action_id: int
    path: str
    """In manifest terms, relative to `spec`: `onFailure.relaunch.supplies[1].supply`."""
    manifest_value: Any
    live_value: Any
    """None means "off" for a whole block (`onSuccess.opportunity`) or an unset field."""


@dataclass(frozen=True)
class DriftGroup:
    """The same difference on several actions."""

    path: str
    manifest_value: Any
    live_value: Any
    action_ids: tuple[int, ...]

    def line(self) -> str:
        count = len(self.action_ids)
        plural = "action" if count == 1 else "actions"
        live = show(self.live_value, self.manifest_value)
        manifest = show(self.manifest_value, self.live_value)
        return f"{self.path}: {live} → {manifest} ({count} {plural})"


@dataclass(frozen=True)
class RuleAudit:
    """The audit of one AutomationRule against the running actions of its sequence."""

    rule_name: str
    sequence_id: int
    actions_checked: int
    drifts: tuple[Drift, ...] = field(default=())

    @property
    def drifted(self) -> bool:
        return bool(self.drifts)

    @property
    def action_ids(self) -> list[int]:
        """The actions that differ from the manifest."""
        return sorted({d.action_id for d in self.drifts})

    @property
    def groups(self) -> list[DriftGroup]:
        """Drifts with the same path and values together, in the order first seen."""
        same: dict[tuple[str, str, str], list[Drift]] = {}
        for d in self.drifts:
            same.setdefault((d.path, repr(d.manifest_value), repr(d.live_value)), []).append(d)
        return [
            DriftGroup(ds[0].path, ds[0].manifest_value, ds[0].live_value, _ids(ds))
            for ds in same.values()
        ]

    def diff(self) -> list[dict[str, Any]]:
        """Plan-style entries: `old` is live, `new` the manifest, `actions` the action ids."""
        return [
            {
                "path": g.path,
                "old": g.live_value,
                "new": g.manifest_value,
                "actions": list(g.action_ids),
            }
            for g in self.groups
        ]

    def lines(self) -> list[str]:
        return [g.line() for g in self.groups]

    @property
    def warnings(self) -> list[str]:
        if self.actions_checked == 0:
            return [f"Coefficy sequence {self.sequence_id} has no running actions to compare"]
        if self.drifted:
            return [READ_ONLY_MESSAGE]
        return []


def _ids(drifts: list[Drift]) -> tuple[int, ...]:
    return tuple(d.action_id for d in drifts)


def is_running(action: Action) -> bool:
    """Still in its sequence: its automations can still fire."""
    return not action.get("isEnded") and not action.get("userStopped")


def audit_rules(rules: Iterable[AutomationRule], actions: Iterable[Action]) -> list[RuleAudit]:
    """One RuleAudit per present rule, in the order given; `actions` may span many sequences."""
    by_sequence: dict[int, list[Action]] = {}
    for action in actions:
        by_sequence.setdefault(action["idSequence"], []).append(action)
    return [
        audit_rule(rule, by_sequence.get(rule.spec.sequence, []))
        for rule in rules
        if not rule.absent
    ]


def audit_rule(rule: AutomationRule, actions: Iterable[Action]) -> RuleAudit:
    """Compare `rule` with the running actions of its sequence (others in `actions` are ignored)."""
    sequence_id = rule.spec.sequence
    running = [a for a in actions if a["idSequence"] == sequence_id and is_running(a)]
    drifts = tuple(
        Drift(rule.name, sequence_id, action["idSequenceAction"], path, manifest, live)
        for action in running
        for path, manifest, live in action_drifts(rule, action)
    )
    return RuleAudit(rule.name, sequence_id, len(running), drifts)


async def read_and_audit(
    rules: Iterable[AutomationRule], provider: CoefficyProvider
) -> list[RuleAudit]:
    """Read the actions of every rule's sequence in one request, then audit."""
    rules = [r for r in rules if not r.absent]
    if not rules:
        return []
    sequences = sorted({r.spec.sequence for r in rules})
    actions = await provider.sequence_actions(idSequence=sequences)
    return audit_rules(rules, actions)


# -- comparison --------------------------------------------------------------------------------


def managed_families(rule: AutomationRule) -> Iterator[tuple[Family, Any]]:
    """The families the rule manages, with the block it wants (None: off)."""
    spec = rule.spec
    for family in FAMILIES:
        if family.outcome is None:
            if spec.unsubscribe is not None:
                yield family, spec.unsubscribe
        elif (outcome := getattr(spec, family.outcome)) is not None:
            yield family, getattr(outcome, family.name)


def action_drifts(rule: AutomationRule, action: Action) -> Iterator[tuple[str, Any, Any]]:
    """(path, manifest value, live value) for each managed field of `action` that differs."""
    for family, wanted in managed_families(rule):
        # Through the action fields and back, so both sides say "off" the same way.
        manifest = _plain(family.read(family.write(wanted)))
        live = _plain(family.read(action))
        yield from compare(family.path, manifest, live)


def compare(path: str, manifest: Any, live: Any) -> Iterator[tuple[str, Any, Any]]:
    """Differences between two plain values, as deep as both sides have the same shape."""
    if isinstance(manifest, dict) and isinstance(live, dict):
        for key in [*manifest, *(k for k in live if k not in manifest)]:
            yield from compare(f"{path}.{key}", manifest.get(key), live.get(key))
    elif isinstance(manifest, list) and isinstance(live, list):
        for i in range(max(len(manifest), len(live))):
            mine = manifest[i] if i < len(manifest) else None
            theirs = live[i] if i < len(live) else None
            yield from compare(f"{path}[{i}]", mine, theirs)
    elif manifest != live:
        yield path, _compact(manifest), _compact(live)


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", warnings=False)
    return value


def _compact(value: Any) -> Any:
    """A whole block without its unset fields, for readable "off -> {...}" drifts."""
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def show(value: Any, other: Any = None) -> str:
    """A value as a drift line shows it; None is `off` against a block, else `(unset)`."""
    if value is None:
        return "off" if isinstance(other, dict) else "(unset)"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)
