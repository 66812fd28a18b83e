"""Safety rules a plan must pass before apply writes anything (octoDNS-style).

- disruption: a change that reaches prospects already in a sequence (a change to a sequence
  with active or paused prospects, a Template or Ruleset change such a sequence uses, enabling
  a sequence that holds prospects) needs --allow-disruption;
- too many stops: disabling, retiring or deleting more than `max_stop_fraction` of the *enabled
  owned sequences* needs --force; stopping every one of them always does, whatever the count;
- too many updates: updating more than `max_update_fraction` of the owned resources (counted
  only when at least `min_owned` are owned) needs --force;
- delete: a delete needs --allow-delete.
Unowned objects (rulesets, adoptions) never count as stops or updates of owned resources.
Thresholds are per target (`safety:` in seqops.yaml). `plan` reports violations and records
the flags apply will need (`requires`); `apply` refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seqops.plan.causes import likely_cause
from seqops.plan.versions import is_retired

if TYPE_CHECKING:
    from seqops.plan.plan import Plan

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


class UnsafePlan(Exception):
    """A plan that crosses a safety threshold. `flag` is what apply needs to go ahead;
    `changes` are the (kind, name) of the changes the rule counts."""

    rule: str = ""
    flag: str = ""
    changes: frozenset[tuple[str, str]] = frozenset()


class DisruptionRequired(UnsafePlan):
    rule = "disruption"
    flag = "--allow-disruption"

    def __init__(self, disrupted: list[tuple[str, int, int]], via: dict[str, str] | None = None):
        self.disrupted = disrupted
        self.changes = frozenset(tuple(key.split("/", 1)) for key, _, _ in disrupted)  # type: ignore[misc]
        via = via or {}
        names = "; ".join(
            f"{name}: {a} active, {p} paused{via.get(name, '')}" for name, a, p in disrupted
        )
        super().__init__(
            f"refused by the disruption rule: {len(disrupted)} change(s) reach active or "
            f"paused prospects ({names}); rerun with --allow-disruption"
        )


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


def violations(plan: Plan, thresholds: SafetyThresholds) -> list[UnsafePlan]:
    """Every rule the plan crosses, whatever the flags."""
    found: list[UnsafePlan] = []
    deletes = [_key(c) for c in plan.changes if c.action == "delete"]
    if deletes:
        found.append(DeleteNotAllowed(deletes))
    disrupted = sorted(
        {(str_key(c), c.impact.active, c.impact.paused) for c in plan.changes if c.disruptive}  # type: ignore[union-attr]
    )
    if disrupted and thresholds.disruption:
        found.append(DisruptionRequired(disrupted, _via(plan)))
    found += _stops(plan, thresholds) + _updates(plan, thresholds)
    return found


def required_flags(plan: Plan, thresholds: SafetyThresholds) -> list[str]:
    """The flags apply will need, sorted (the plan's `requires`)."""
    return sorted({v.flag for v in violations(plan, thresholds)})


def annotate(plan: Plan, thresholds: SafetyThresholds) -> Plan:
    """Record on the plan and on each change the flags apply will need for it."""
    found = violations(plan, thresholds)
    plan.requires = sorted({v.flag for v in found})
    for change in plan.changes:
        change.requires = sorted({v.flag for v in found if _key(change) in v.changes})
    return plan


def check(
    plan: Plan,
    thresholds: SafetyThresholds,
    *,
    allow_disruption: bool,
    force: bool,
    allow_delete: bool = True,
) -> None:
    """Raise the first rule the plan crosses that its flag does not lift."""
    for violation in unlifted(plan, thresholds, given_flags(allow_disruption, force, allow_delete)):
        raise violation


def unlifted(plan: Plan, thresholds: SafetyThresholds, given: set[str]) -> list[UnsafePlan]:
    """The violations no given flag lifts: what apply would still refuse."""
    return [v for v in violations(plan, thresholds) if v.flag not in given]


def given_flags(allow_disruption: bool, force: bool, allow_delete: bool) -> set[str]:
    given = {"--allow-disruption": allow_disruption, "--force": force}
    return {flag for flag, on in {**given, "--allow-delete": allow_delete}.items() if on}


def _stops(plan: Plan, thresholds: SafetyThresholds) -> list[UnsafePlan]:
    changes = [c for c in plan.changes if stops_sending(c)]
    stopped = [_key(c) for c in changes]
    enabled = plan.enabled_sequences
    if not stopped or not enabled:
        return []
    every = len(stopped) >= enabled
    counted = enabled >= thresholds.min_owned and len(stopped) / enabled > thresholds.stop_fraction
    if not (every or counted):
        return []
    return [TooManyStops(stopped, enabled, thresholds.stop_fraction, likely_cause(plan, changes))]


def _updates(plan: Plan, thresholds: SafetyThresholds) -> list[UnsafePlan]:
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


def updates_owned(change: Any) -> bool:
    """Rewrites an owned sequence or template (a template's retirement re-tags it)."""
    if not _owned(change):
        return False
    if change.action in UPDATES:
        return True
    return change.kind == "Template" and change.action in STOPS


def _via(plan: Plan) -> dict[str, str]:
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
    return live is not None and live.owner is not None and not is_retired(live.owner)


def _key(change: Any) -> tuple[str, str]:
    return (change.kind, change.name)


def str_key(change: Any) -> str:
    return f"{change.kind}/{change.name}"
