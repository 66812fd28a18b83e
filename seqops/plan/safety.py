"""Safety rules a plan must pass before apply writes anything (octoDNS-style).

- disruption: any change to a sequence with active or paused prospects needs --allow-disruption;
- too many changes: updating, disabling or deleting more than `max_change_fraction` of the owned
  resources (counted only when at least `min_owned` are owned) needs --force.
Thresholds are per target (`safety:` in seqops.yaml). `plan` reports violations; `apply` refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from seqops.plan.plan import Plan

COUNTED = {"update", "replace", "disable", "delete"}


@dataclass(frozen=True)
class SafetyThresholds:
    max_change_fraction: float = 0.30
    min_owned: int = 10
    disruption: bool = True
    """Whether the disruption rule applies (a target may turn it off, e.g. a test account)."""

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
        )


class UnsafePlan(Exception):
    """A plan that crosses a safety threshold. `flag` is what apply needs to go ahead."""

    rule: str = ""
    flag: str = ""


class DisruptionRequired(UnsafePlan):
    rule = "disruption"
    flag = "--allow-disruption"

    def __init__(self, disrupted: list[tuple[str, int, int]]):
        self.disrupted = disrupted
        names = "; ".join(f"{name}: {a} active, {p} paused" for name, a, p in disrupted)
        super().__init__(
            f"refused by the disruption rule: {len(disrupted)} changed sequence(s) have active or "
            f"paused prospects ({names}); rerun with --allow-disruption"
        )


class TooManyChanges(UnsafePlan):
    rule = "too-many-changes"
    flag = "--force"

    def __init__(self, changed: int, owned: int, limit: float):
        self.changed, self.owned, self.limit = changed, owned, limit
        super().__init__(
            f"refused by the too-many-changes rule: {changed} of {owned} owned resources "
            f"({changed / owned:.0%}) would be updated/disabled/deleted, more than {limit:.0%}; "
            "rerun with --force"
        )


class DeleteNotAllowed(UnsafePlan):
    rule = "delete"
    flag = "--allow-delete"

    def __init__(self, deletes: list[str]):
        self.deletes = deletes
        super().__init__(
            f"refused: the plan deletes {', '.join(deletes)}; rerun with --allow-delete"
        )


def violations(plan: Plan, thresholds: SafetyThresholds) -> list[UnsafePlan]:
    """Every rule the plan crosses, whatever the flags."""
    found: list[UnsafePlan] = []
    deletes = [str_key(c) for c in plan.changes if c.action == "delete"]
    if deletes:
        found.append(DeleteNotAllowed(deletes))
    disrupted = sorted(
        {(str_key(c), c.impact.active, c.impact.paused) for c in plan.changes if c.disruptive}
    )  # type: ignore[union-attr]
    if disrupted and thresholds.disruption:
        found.append(DisruptionRequired(disrupted))
    changed = len({(c.kind, c.id) for c in plan.changes if c.action in COUNTED and _owned(c)})
    owned = plan.owned_resources
    if owned >= thresholds.min_owned and changed / owned > thresholds.max_change_fraction:
        found.append(TooManyChanges(changed, owned, thresholds.max_change_fraction))
    return found


def check(
    plan: Plan,
    thresholds: SafetyThresholds,
    *,
    allow_disruption: bool,
    force: bool,
    allow_delete: bool = True,
) -> None:
    """Raise the first rule the plan crosses that its flag does not lift."""
    lifted = {
        "--allow-disruption": allow_disruption,
        "--force": force,
        "--allow-delete": allow_delete,
    }
    for violation in violations(plan, thresholds):
        if not lifted[violation.flag]:
            raise violation


def _owned(change: Any) -> bool:
    return change.existing is not None and change.existing.owner is not None


def str_key(change: Any) -> str:
    return f"{change.kind}/{change.name}"
