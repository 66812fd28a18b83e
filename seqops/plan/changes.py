"""Changes are values: what the plan will do to one live object, and why.

Every change carries its field diff in manifest terms, the live `updatedAt` it was planned
against (apply refuses to write if it moved), the prospects it affects (`impact`), warnings,
and everything the executor needs to perform it exactly from a saved plan file (`to_json` /
`change_from_json` round-trip).

Actions: create, update, adopt (update that also adds the ownership tag), enable, disable
(retire = disable), replace (new version + old one retired, see `seqops.plan.versions`), delete.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar

from seqops.manifest.models import Resource, manifest_adapter
from seqops.plan.diff import FieldDiff
from seqops.plan.steps import StepWrite
from seqops.providers.base import Impact, LiveObject, LiveStep, Results, SequenceImpact

ACTIONS = ("create", "update", "adopt", "replace", "enable", "disable", "delete")
KIND_RANK = {"Ruleset": 0, "Template": 1, "Sequence": 2}
DISRUPTIVE = {"update", "adopt", "replace", "disable", "delete"}
REFERENCED_KINDS = ("Template", "Ruleset")
"""Kinds whose changes reach prospects through the sequences that use them."""
CARRIED = {"update", "adopt"}
"""Changes of a Template or Ruleset that prospects see (new text, new rules)."""


@dataclass(kw_only=True)
class Change:
    """One planned change to one live object (`existing`) towards one manifest (`desired`)."""

    action: ClassVar[str] = ""
    kind: str
    name: str
    desired: Resource | None = None
    existing: LiveObject | None = None
    diff: list[FieldDiff] = field(default_factory=list)
    impact: Impact | None = None
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None
    """Why, when the diff does not say it: `no manifest: retired`, `state: absent`..."""
    requires: list[str] = field(default_factory=list)
    """The flags apply needs for this change (the safety rules that count it)."""
    lint: list[dict[str, Any]] = field(default_factory=list)
    """Lint findings on what this change writes (`seqops.lint.inplan`), saved in the plan."""
    carriers: tuple[tuple[int, str], ...] = ()
    """A Template or Ruleset change: (id, display name) of the live sequences that use it,
    whose prospects it reaches (their sum is its `impact`). Not saved: `impact` says it."""

    @property
    def id(self) -> int | None:
        return self.existing.id if self.existing else None

    @property
    def planned_updated_at(self) -> str | None:
        return self.existing.updated_at if self.existing else None

    @property
    def rank(self) -> int:
        """Execution order: references, sequences, disables, deletes, enables."""
        return 0 if self.kind in ("Template", "Ruleset") else 1

    @property
    def sort_key(self) -> tuple:
        return (self.rank, KIND_RANK.get(self.kind, 9), self.name, ACTIONS.index(self.action))

    @property
    def disruptive(self) -> bool:
        """Reaches prospects already in a sequence (needs --allow-disruption): a change to a
        sequence with active or paused prospects, a Template or Ruleset change that such a
        sequence uses, or enabling a sequence that holds prospects (pending ones included)."""
        if self.impact is None or (self.action == "adopt" and not self.diff):
            return False  # adopt without a diff only adds the ownership tag: nobody sees it
        if self.kind in REFERENCED_KINDS:
            return self.action in CARRIED and self.impact.total > 0
        if self.kind != "Sequence":
            return False
        if self.action == "enable":
            return self.impact.enrolled > 0
        return self.action in DISRUPTIVE and self.impact.total > 0

    def __lt__(self, other: Change) -> bool:
        return self.sort_key < other.sort_key

    def __str__(self) -> str:
        where = f" (id {self.id})" if self.id is not None else ""
        return f"{self.action} {self.kind}/{self.name}{where}"

    def to_json(self) -> dict[str, Any]:
        """The DESIGN §3 fields, then the execution data (`updated_at`, `desired`, `live`...)."""
        return {
            "action": self.action,
            "kind": self.kind,
            "name": self.name,
            "id": self.id,
            "diff": [d.to_json() for d in self.diff],
            "impact": _impact_json(self.impact),
            "warnings": list(self.warnings),
            **({"lint": list(self.lint)} if self.lint else {}),
            "requires": list(self.requires),
            "reason": self.reason,
            "updated_at": self.planned_updated_at,
            "desired": _resource_json(self.desired),
            "live": _live_json(self.existing),
            **self.extra_json(),
        }

    def extra_json(self) -> dict[str, Any]:
        return {}


@dataclass(kw_only=True)
class Create(Change):
    action: ClassVar[str] = "create"


@dataclass(kw_only=True)
class Update(Change):
    """Write the changed attributes (when `write_attributes`) then the step writes, in order."""

    action: ClassVar[str] = "update"
    write_attributes: bool = True
    steps: list[StepWrite] = field(default_factory=list)

    def extra_json(self) -> dict[str, Any]:
        return {
            "write_attributes": self.write_attributes,
            "steps": [_step_write_json(s) for s in self.steps],
        }


@dataclass(kw_only=True)
class Adopt(Update):
    """An unowned live object with the manifest's display name: tag it (and fix any diff)."""

    action: ClassVar[str] = "adopt"


@dataclass(kw_only=True)
class Replace(Change):
    """Create `new_display_name` (owned by the same key) with every step; enable it when
    `enable_new` (the manifest says so, or the old version was enabled); then retire the old
    version: ownership tag rewritten to `seqops:<name>--retired`, disabled so its prospects
    finish where they are. See `seqops.plan.versions` for how the next plan tells them apart."""

    action: ClassVar[str] = "replace"
    new_display_name: str
    enable_new: bool = False

    def extra_json(self) -> dict[str, Any]:
        return {"new_display_name": self.new_display_name, "enable_new": self.enable_new}


@dataclass(kw_only=True)
class Enable(Change):
    action: ClassVar[str] = "enable"

    @property
    def rank(self) -> int:
        return 5


@dataclass(kw_only=True)
class Disable(Change):
    """Disable (retire) a sequence. `retire_as` also rewrites its ownership tag (a superseded
    version left behind by an interrupted replace, a twin); a template is only re-tagged."""

    action: ClassVar[str] = "disable"
    retire_as: str | None = None
    twin_of: int | None = None
    """Retires a twin of this live id (same ownership tag and display name), chosen by the
    lowest-id rule: refused at plan time if the twin turns out to have prospects."""
    old_version: bool = False
    """Retires an older version left by an interrupted replace (`seqops.plan.recovery`): runs
    after every other change of its key, enables included, and only if they all succeeded."""

    @property
    def rank(self) -> int:
        return 6 if self.old_version else 2

    def extra_json(self) -> dict[str, Any]:
        return {
            "retire_as": self.retire_as,
            "twin_of": self.twin_of,
            "old_version": self.old_version,
        }


@dataclass(kw_only=True)
class Delete(Change):
    action: ClassVar[str] = "delete"

    @property
    def rank(self) -> int:
        # Sequences first: a template goes only once nothing uses it.
        return 3 if self.kind == "Sequence" else 4


@dataclass(kw_only=True)
class RuleDrift(Update):
    """An AutomationRule whose live Coefficy actions differ from the manifest (DESIGN §6).

    Reported as an `update` so that `plan --detailed-exitcode` flags it, but never executed:
    Coefficy's API cannot write automations. `id` is the Coefficy sequence; `drift` has one
    entry per diff with the ids of the actions concerned."""

    sequence_id: int
    actions_checked: int = 0
    drift: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> int | None:
        return self.sequence_id

    @property
    def drifted_actions(self) -> list[int]:
        return sorted({a for entry in self.drift for a in entry.get("actions", [])})

    def extra_json(self) -> dict[str, Any]:
        return {
            "sequence_id": self.sequence_id,
            "actions_checked": self.actions_checked,
            "drift": self.drift,
        }


CHANGE_TYPES: dict[str, type[Change]] = {
    c.action: c for c in (Create, Update, Adopt, Replace, Enable, Disable, Delete)
}
AUDITED_KINDS = {"AutomationRule": RuleDrift}
"""Kinds that are audited, never written: their changes have their own type."""


def change_from_json(data: dict[str, Any]) -> Change:
    """The change a saved plan describes (the inverse of `Change.to_json`)."""
    cls = AUDITED_KINDS.get(data["kind"]) or CHANGE_TYPES[data["action"]]
    common = {
        "kind": data["kind"],
        "name": data["name"],
        "desired": _resource_from_json(data.get("desired")),
        "existing": _live_from_json(data.get("live"), data.get("id"), data.get("updated_at")),
        "diff": [FieldDiff.from_json(d) for d in data.get("diff", [])],
        "impact": _impact_from_json(data.get("impact")),
        "warnings": list(data.get("warnings", [])),
        "reason": data.get("reason"),
    }
    extra = {
        f.name: data[f.name]
        for f in dataclasses.fields(cls)
        if f.name not in common and f.name in data
    }
    if "steps" in extra:
        extra["steps"] = [_step_write_from_json(s) for s in extra["steps"]]
    return cls(**common, **extra)


def _impact_json(impact: Impact | None) -> dict | None:
    """`{active, paused}`, plus `pending` and the `sequences` carrying it when there are any."""
    if impact is None:
        return None
    data: dict[str, Any] = {"active": impact.active, "paused": impact.paused}
    if impact.pending:
        data["pending"] = impact.pending
    if impact.sequences:
        data["sequences"] = [dataclasses.asdict(s) for s in impact.sequences]
    return data


def _impact_from_json(data: dict | None) -> Impact | None:
    if not data:
        return None
    sequences = tuple(SequenceImpact(**s) for s in data.get("sequences", []))
    return Impact(
        active=data["active"],
        paused=data["paused"],
        pending=data.get("pending", 0),
        sequences=sequences,
    )


def _resource_json(resource: Resource | None) -> dict | None:
    return None if resource is None else resource.model_dump(mode="json", exclude_none=True)


def _resource_from_json(data: dict | None) -> Resource | None:
    return None if data is None else manifest_adapter.validate_python(data)


def _live_json(live: LiveObject | None) -> dict | None:
    if live is None:
        return None
    return {
        "resource": _resource_json(live.resource),
        "owner": live.owner,
        "steps": [s.to_json() for s in live.steps],
        **_results_json(live.results),
    }


def _live_from_json(data: dict | None, id: int | None, updated_at: str | None) -> LiveObject | None:
    if data is None or id is None:
        return None
    return LiveObject(
        resource=manifest_adapter.validate_python(data["resource"]),
        id=id,
        updated_at=updated_at,
        owner=data.get("owner"),
        steps=[LiveStep.from_json(s) for s in data.get("steps", [])],
        results=Results.from_json(data.get("results")),
    )


def _step_write_json(write: StepWrite) -> dict[str, Any]:
    live = write.live.to_json() if write.live else None
    return {"order": write.order, "op": write.op, "live": live}


def _step_write_from_json(data: dict[str, Any]) -> StepWrite:
    return StepWrite(data["order"], LiveStep.from_json(data["live"]) if data.get("live") else None)


def _results_json(results: Results | None) -> dict[str, Any]:
    """`{"results": {...}}` when the account counted something for the object, else {}."""
    if results is None or not results.counted:
        return {}
    return {"results": dataclasses.asdict(results)}
