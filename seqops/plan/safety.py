"""Safety rules a plan must pass before apply writes anything (octoDNS-style).

- disruption: a change that reaches prospects already in a sequence needs --allow-disruption:
  what it writes reaches them (`seqops.plan.disruption`: steps, reply and opt-out settings,
  the owner of a sequence with active or paused prospects; a Template or Ruleset's content
  that such a sequence sends), or it disables a sequence with prospects in it, enables one
  holding pending prospects, or replaces one stopping its old version or leaving pending
  prospects in it;
- too many stops: disabling, retiring or deleting more than `max_stop_fraction` of the *enabled
  owned sequences* needs --force; stopping every one of them always does, whatever the count;
- too many updates: updating more than `max_update_fraction` of the owned resources (counted
  only when at least `min_owned` are owned) needs --force. The owned state counted is the one
  before the run being completed: finishing an interrupted create or replace is not an update,
  and what that run created is not counted among the owned (`seqops.plan.finishing`);
- delete: a delete needs --allow-delete.
Unowned objects (rulesets, adoptions) never count as stops or updates of owned resources.
Thresholds are per target (`safety:` in seqops.yaml). `plan` reports violations and records
the flags apply will need (`requires`); `apply` refuses, and re-applies the disruption rule to
each change right before writing it (`seqops.apply.recount`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from seqops.plan.causes import likely_cause
from seqops.plan.changes import Change, Update
from seqops.plan.versions import is_old_version
from seqops.providers.base import Impact

UPDATES = {"update", "replace"}
"""Actions that rewrite an owned resource (a replace's new version goes on sending)."""
STOPS = {"disable", "delete"}
FLAGS = ("--allow-delete", "--allow-disruption", "--force")


@dataclass(frozen=True)
class SafetyThresholds:
    max_change_fraction: float = 0.30
    """The default of both fractions below (seqops.yaml `maxChangeFraction`)."""
    min_owned: int = 10
    disruption: bool = True
    """Whether the disruption rule applies (a target may turn it off, e.g. a test account)."""
    max_stop_fraction: float | None = None
    """Share of the enabled owned sequences a plan may stop without --force."""
    max_update_fraction: float | None = None
    """Share of the owned resources a plan may update without --force."""

    @property
    def stop_fraction(self) -> float:
        return (
            self.max_change_fraction if self.max_stop_fraction is None else self.max_stop_fraction
        )

    @property
    def update_fraction(self) -> float:
        if self.max_update_fraction is None:
            return self.max_change_fraction
        return self.max_update_fraction

    @classmethod
    def from_config(cls, safety: Any) -> SafetyThresholds:
        """From a target's `safety` settings (an object or a mapping); missing keys default."""
        if safety is None:
            return cls()
        get = safety.get if isinstance(safety, dict) else lambda k, d: getattr(safety, k, d)
        fraction = get("max_change_fraction", None)
        if fraction is None and get("max_change_percent", None) is not None:
            fraction = get("max_change_percent", None) / 100
        min_owned = get("min_owned", None)
        return cls(
            max_change_fraction=cls.max_change_fraction if fraction is None else float(fraction),
            min_owned=cls.min_owned if min_owned is None else int(min_owned),
            disruption=bool(get("disruption", True)),
            max_stop_fraction=_fraction(get("max_stop_fraction", None)),
            max_update_fraction=_fraction(get("max_update_fraction", None)),
        )


class Counted(Protocol):
    """What the rules read of a plan (`seqops.plan.plan.Plan`), and its `requires`."""

    changes: list[Change]
    owned_resources: int
    enabled_sequences: int
    manifest_kinds: dict[str, int]
    requires: list[str]


P = TypeVar("P", bound=Counted)


class UnsafePlan(Exception):
    """A plan that crosses a safety threshold. `flag` is what apply needs to go ahead;
    `changes` are the (kind, name) of the changes the rule counts."""

    rule: str = ""
    flag: str = ""
    changes: frozenset[tuple[str, str]] = frozenset()


class DisruptionRequired(UnsafePlan):
    rule = "disruption"
    flag = "--allow-disruption"

    def __init__(self, disrupted: list[tuple[str, Impact]], via: dict[str, str] | None = None):
        self.disrupted = disrupted
        self.changes = frozenset(_split(key) for key, _ in disrupted)
        via = via or {}
        names = "; ".join(f"{name}: {counts(i)}{via.get(name, '')}" for name, i in disrupted)
        super().__init__(
            f"refused by the disruption rule: {len(disrupted)} change(s) reach prospects "
            f"already in sequences ({names}); rerun with --allow-disruption"
        )


def counts(impact: Impact) -> str:
    """`3 active, 1 paused` and `, 2 pending` when any: the counts a refusal names."""
    text = f"{impact.active} active, {impact.paused} paused"
    return text + (f", {impact.pending} pending" if impact.pending else "")


def _split(key: str) -> tuple[str, str]:
    kind, _, name = key.partition("/")
    return (kind, name)


class TooManyChanges(UnsafePlan):
    """A fraction rule: too many owned resources would change at once."""

    flag = "--force"


class TooManyUpdates(TooManyChanges):
    rule = "too-many-updates"

    def __init__(self, changed: list[tuple[str, str]], owned: int, limit: float):
        self.changed, self.owned, self.limit = len(changed), owned, limit
        self.changes = frozenset(changed)
        n = len(changed)
        super().__init__(
            f"refused by the too-many-updates rule: {n} of {owned} owned resources "
            f"({n / owned:.0%}) would be updated, more than {limit:.0%}; rerun with --force"
        )


class TooManyStops(TooManyChanges):
    rule = "too-many-stops"

    def __init__(self, stopped: list[tuple[str, str]], enabled: int, limit: float, cause: str):
        self.changed, self.owned, self.limit = len(stopped), enabled, limit
        self.changes = frozenset(stopped)
        n = len(stopped)
        every = n >= enabled
        why = "every one of them" if every else f"more than {limit:.0%}"
        super().__init__(
            f"refused by the {'stops-everything' if every else 'too-many-stops'} rule: "
            f"{n} of {enabled} enabled owned sequences ({n / enabled:.0%}) would stop sending "
            f"(disable, retire or delete), {why}{'; ' + cause if cause else ''}; "
            "rerun with --force"
        )
        if every:
            self.rule = "stops-everything"


class DeleteNotAllowed(UnsafePlan):
    rule = "delete"
    flag = "--allow-delete"

    def __init__(self, deletes: list[tuple[str, str]]):
        self.deletes = [f"{k}/{n}" for k, n in deletes]
        self.changes = frozenset(deletes)
        super().__init__(
            f"refused: the plan deletes {', '.join(self.deletes)}; rerun with --allow-delete"
        )


def violations(plan: Counted, thresholds: SafetyThresholds) -> list[UnsafePlan]:
    """Every rule the plan crosses, whatever the flags."""
    found: list[UnsafePlan] = []
    deletes = [_key(c) for c in plan.changes if c.action == "delete"]
    if deletes:
        found.append(DeleteNotAllowed(deletes))
    disrupted = _disrupted(plan.changes)
    if disrupted and thresholds.disruption:
        found.append(DisruptionRequired(disrupted, _via(plan)))
    found += _stops(plan, thresholds) + _updates(plan, thresholds)
    return found


def _disrupted(changes: Sequence[Change]) -> list[tuple[str, Impact]]:
    found = {str_key(c): c.impact for c in changes if c.disruptive and c.impact is not None}
    return sorted(found.items(), key=lambda item: item[0])


def required_flags(plan: Counted, thresholds: SafetyThresholds) -> list[str]:
    """The flags apply will need, sorted (the plan's `requires`)."""
    return sorted({v.flag for v in violations(plan, thresholds)})


def annotate(plan: P, thresholds: SafetyThresholds) -> P:
    """Record on the plan and on each change the flags apply will need for it."""
    found = violations(plan, thresholds)
    plan.requires = sorted({v.flag for v in found})
    for change in plan.changes:
        change.requires = sorted({v.flag for v in found if _key(change) in v.changes})
    return plan


def check(
    plan: Counted,
    thresholds: SafetyThresholds,
    *,
    allow_disruption: bool,
    force: bool,
    allow_delete: bool = True,
) -> None:
    """Raise the first rule the plan crosses that its flag does not lift."""
    for violation in unlifted(plan, thresholds, given_flags(allow_disruption, force, allow_delete)):
        raise violation


def unlifted(plan: Counted, thresholds: SafetyThresholds, given: set[str]) -> list[UnsafePlan]:
    """The violations no given flag lifts: what apply would still refuse."""
    return [v for v in violations(plan, thresholds) if v.flag not in given]


def given_flags(allow_disruption: bool, force: bool, allow_delete: bool) -> set[str]:
    given = {"--allow-disruption": allow_disruption, "--force": force}
    return {flag for flag, on in {**given, "--allow-delete": allow_delete}.items() if on}


def _stops(plan: Counted, thresholds: SafetyThresholds) -> list[UnsafePlan]:
    changes = [c for c in plan.changes if stops_sending(c)]
    stopped = [_key(c) for c in changes]
    enabled = plan.enabled_sequences
    if not stopped or not enabled:
        return []
    every = len(stopped) >= enabled
    counted = enabled >= thresholds.min_owned and len(stopped) / enabled > thresholds.stop_fraction
    if not (every or counted):
        return []
    cause = likely_cause(plan.manifest_kinds, changes)
    return [TooManyStops(stopped, enabled, thresholds.stop_fraction, cause)]


def _updates(plan: Counted, thresholds: SafetyThresholds) -> list[UnsafePlan]:
    updated = sorted({_key(c) for c in plan.changes if updates_owned(c)})
    owned = plan.owned_resources
    if not updated or owned < thresholds.min_owned or not owned:
        return []
    if len(updated) / owned <= thresholds.update_fraction:
        return []
    return [TooManyUpdates(updated, owned, thresholds.update_fraction)]


def stops_sending(change: Any) -> bool:
    """Disables, retires or deletes an enabled owned sequence (not a twin or an older version
    left by a replace: the sequence of that key goes on sending)."""
    live = change.existing
    return (
        change.kind == "Sequence"
        and change.action in STOPS
        and _owned(change)
        and getattr(change, "retire_as", None) is None
        and bool(getattr(live.resource.spec, "enabled", False))
    )


def updates_owned(change: Change) -> bool:
    """Rewrites an owned sequence or template (a template's retirement re-tags it); completing
    what an interrupted run created (a create's steps, a replace's new version and old one)
    is not a new update."""
    if not _owned(change) or change.old_version:
        return False
    if isinstance(change, Update) and change.completes_create:
        return False
    if change.action in UPDATES:
        return True
    return change.kind == "Template" and change.action in STOPS


def _via(plan: Counted) -> dict[str, str]:
    """` via Sequence A, B` for the Template and Ruleset changes that reach prospects."""
    return {
        str_key(c): " via " + ", ".join(repr(s.name) for s in c.impact.sequences)
        for c in plan.changes
        if c.impact is not None and c.impact.sequences
    }


def _fraction(value: Any) -> float | None:
    return None if value is None else float(value)


def _owned(change: Any) -> bool:
    live = change.existing
    return live is not None and live.owner is not None and not is_old_version(live.owner)


def _key(change: Any) -> tuple[str, str]:
    return (change.kind, change.name)


def str_key(change: Any) -> str:
    return f"{change.kind}/{change.name}"
