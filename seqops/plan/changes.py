"""Changes are values: what the plan will do to one live object, and why.

Every change carries its field diff in manifest terms, the live `updatedAt` it was planned
against (apply refuses to write if it moved), the prospects it affects (`impact`), warnings,
and everything the executor needs to perform it exactly from a saved plan file (`to_json` /
`change_from_json` round-trip).

Actions: create, update, adopt (update that also adds the ownership tag), enable, disable
(retire = disable), replace (new version; the old one drains or stops, see
`seqops.plan.versions` and `seqops.plan.retiring`), delete. An old version's own writes (its
tag and name rewritten, then enabled or disabled or left running) are `Retag`, `Enable` or
`Disable` changes marked `old_version`: they run last, once the current version is done.

Whether a change reaches the prospects already in a sequence (`disruptive`) is decided by
what it writes (`seqops.plan.disruption`) and by the prospects counted (`impact`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar

from seqops.manifest.models import Resource, Sequence, manifest_adapter
from seqops.plan.diff import FieldDiff
from seqops.plan.disruption import reaches_prospects
from seqops.plan.live import is_enabled
from seqops.plan.retiring import Outcome
from seqops.plan.steps import StepWrite
from seqops.providers.base import (
    Impact,
    LiveObject,
    LiveStep,
    Results,
    SequenceImpact,
    live_resource_adapter,
)

ACTIONS = ("create", "update", "adopt", "replace", "enable", "disable", "delete")
KIND_RANK = {"Ruleset": 0, "Template": 1, "Sequence": 2}
REFERENCED_KINDS = ("Template", "Ruleset")
"""Kinds whose changes reach prospects through the sequences that use them."""
CARRIED = {"update", "adopt"}
"""Changes of a Template or Ruleset that prospects see (new text, new rules)."""
OLD_VERSION_RANK = 6


@dataclass(kw_only=True)
class Change:
    """One planned change to one live object (`existing`) towards one manifest (`desired`)."""

    action: ClassVar[str] = ""
    variant: ClassVar[str] = ""
    """Tells apart, in a saved plan, two change types of one action (`Retag` is an update)."""
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
    """Lint findings on what this change writes (found by lint, in its `inplan` module), saved
    in the plan."""
    carriers: tuple[tuple[int, str], ...] = ()
    """A Template or Ruleset change: (id, display name) of the live sequences that use it,
    whose prospects it reaches (their sum is its `impact`), counted again by apply."""
    old_version: bool = False
    """Writes an old version of a sequence whose current version this plan may also write (a
    resumed replace, a retiring version): runs after every other change of its key, enables
    included, and only if they all succeeded."""

    @property
    def id(self) -> int | None:
        return self.existing.id if self.existing else None

    @property
    def live(self) -> LiveObject:
        """The live object this change writes (every change but a create has one)."""
        if self.existing is None:
            raise ValueError(f"{self}: no live object")
        return self.existing

    @property
    def manifest(self) -> Resource:
        """The manifest this change applies (creates, updates and replaces have one)."""
        if self.desired is None:
            raise ValueError(f"{self}: no manifest")
        return self.desired

    @property
    def planned_updated_at(self) -> str | None:
        return self.existing.updated_at if self.existing else None

    @property
    def rank(self) -> int:
        """Execution order: references, sequences, disables, deletes, enables, old versions."""
        return OLD_VERSION_RANK if self.old_version else self.own_rank

    @property
    def own_rank(self) -> int:
        return 0 if self.kind in REFERENCED_KINDS else 1

    @property
    def sort_key(self) -> tuple[int, int, str, int]:
        return (self.rank, KIND_RANK.get(self.kind, 9), self.name, ACTIONS.index(self.action))

    @property
    def disruptive(self) -> bool:
        """Reaches prospects already in a sequence (needs --allow-disruption), by the
        prospects counted when the plan was made."""
        return self.impact is not None and self.reaches(self.impact)

    def reaches(self, impact: Impact) -> bool:
        """Whether, with `impact` the prospects in it now, this change reaches anyone in
        flight. A Template or Ruleset change reaches those of every sequence using it; a
        sequence's update what its diff writes (`seqops.plan.disruption`)."""
        if self.kind in REFERENCED_KINDS:
            return self.action in CARRIED and impact.total > 0 and self.reaches_in_flight()
        return False

    def reaches_in_flight(self) -> bool:
        return reaches_prospects(self.kind, self.diff)

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
            **({"variant": self.variant} if self.variant else {}),
            **({"carriers": [list(c) for c in self.carriers]} if self.carriers else {}),
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
    completes_create: bool = False
    """Only appends the missing steps of a disabled sequence nobody is in: an interrupted
    create or replace being completed, never counted as a new update by the safety rules."""

    def reaches(self, impact: Impact) -> bool:
        if self.kind != "Sequence":
            return super().reaches(impact)
        return impact.total > 0 and self.reaches_in_flight()

    def extra_json(self) -> dict[str, Any]:
        return {
            "write_attributes": self.write_attributes,
            "steps": [_step_write_json(s) for s in self.steps],
            "completes_create": self.completes_create,
        }


@dataclass(kw_only=True)
class Adopt(Update):
    """An unowned live object with the manifest's display name: tag it (and fix any diff)."""

    action: ClassVar[str] = "adopt"


@dataclass(kw_only=True)
class OldVersionWrites(Change):
    """Writes to an old version of a sequence (or a twin, or a retired object): its ownership
    tag becomes `retire_as` and its name `rename_to` (one write), before any enable/disable."""

    retire_as: str | None = None
    rename_to: str | None = None

    def extra_json(self) -> dict[str, Any]:
        return {
            "retire_as": self.retire_as,
            "rename_to": self.rename_to,
            "old_version": self.old_version,
        }


@dataclass(kw_only=True)
class Retag(OldVersionWrites):
    """An old version re-tagged `--retiring` and renamed `(vM, retiring)`, left as it is
    otherwise: enabled, it drains (its prospects keep their cadence); disabled, its pending
    prospects stay pending (`pending`, which then needs --allow-disruption)."""

    action: ClassVar[str] = "update"
    variant: ClassVar[str] = "retag"

    def reaches(self, impact: Impact) -> bool:
        return impact.pending > 0 and not is_enabled(self.existing)


@dataclass(kw_only=True)
class Replace(Change):
    """Create `new_display_name` (owned by the same key) with every step; enable it when
    `enable_new` (the manifest says so, or the old version was enabled); then what becomes of
    the old version is `outcome` (`seqops.plan.retiring`): by default it drains, renamed
    `(vM, retiring)` and left running for the prospects in it; `onReplace: stop` disables it."""

    action: ClassVar[str] = "replace"
    new_display_name: str
    enable_new: bool = False
    on_replace: str = "drain"
    outcome: Outcome | None = None
    """Decided once the prospects of the old version are counted (None before)."""

    def reaches(self, impact: Impact) -> bool:
        return self.outcome is not None and self.outcome.reaches(impact)

    @property
    def sequence(self) -> Sequence:
        desired = self.manifest
        if not isinstance(desired, Sequence):
            raise ValueError(f"{self}: a replace applies a Sequence manifest")
        return desired

    def extra_json(self) -> dict[str, Any]:
        return {
            "new_display_name": self.new_display_name,
            "enable_new": self.enable_new,
            "on_replace": self.on_replace,
            "outcome": None if self.outcome is None else self.outcome.to_json(),
        }


@dataclass(kw_only=True)
class Enable(OldVersionWrites):
    """Enable a sequence: its pending prospects start (an old version's, with its tag and name
    rewritten first, when the manifest wants the sequence enabled)."""

    action: ClassVar[str] = "enable"

    @property
    def own_rank(self) -> int:
        return 5

    def reaches(self, impact: Impact) -> bool:
        return self.kind == "Sequence" and impact.enrolled > 0


@dataclass(kw_only=True)
class Disable(OldVersionWrites):
    """Disable (retire) a sequence: no step fires for anyone in it any more. `retire_as` also
    rewrites its ownership tag (an old version, a twin, a sequence whose pending prospects
    are left); a template is only re-tagged."""

    action: ClassVar[str] = "disable"
    twin_of: int | None = None
    """Retires a twin of this live id (same ownership tag and display name), chosen by the
    lowest-id rule: refused at plan time if the twin turns out to have prospects."""

    @property
    def own_rank(self) -> int:
        return 2

    def reaches(self, impact: Impact) -> bool:
        return self.kind == "Sequence" and impact.enrolled > 0

    def extra_json(self) -> dict[str, Any]:
        return {**super().extra_json(), "twin_of": self.twin_of}


@dataclass(kw_only=True)
class Delete(Change):
    action: ClassVar[str] = "delete"

    @property
    def own_rank(self) -> int:
        # Sequences first: a template goes only once nothing uses it.
        return 3 if self.kind == "Sequence" else 4

    def reaches(self, impact: Impact) -> bool:
        return self.kind == "Sequence" and impact.enrolled > 0


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

    def reaches(self, impact: Impact) -> bool:
        return False

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
    c.variant or c.action: c
    for c in (Create, Update, Adopt, Replace, Enable, Disable, Delete, Retag)
}
AUDITED_KINDS = {"AutomationRule": RuleDrift}
"""Kinds that are audited, never written: their changes have their own type."""


def change_from_json(data: dict[str, Any]) -> Change:
    """The change a saved plan describes (the inverse of `Change.to_json`)."""
    cls = AUDITED_KINDS.get(data["kind"]) or CHANGE_TYPES[data.get("variant") or data["action"]]
    common = {
        "kind": data["kind"],
        "name": data["name"],
        "desired": _resource_from_json(data.get("desired")),
        "existing": _live_from_json(data.get("live"), data.get("id"), data.get("updated_at")),
        "diff": [FieldDiff.from_json(d) for d in data.get("diff", [])],
        "impact": _impact_from_json(data.get("impact")),
        "warnings": list(data.get("warnings", [])),
        "reason": data.get("reason"),
        "carriers": tuple((int(id), str(name)) for id, name in data.get("carriers", [])),
    }
    extra = {
        f.name: data[f.name]
        for f in dataclasses.fields(cls)
        if f.name not in common and f.name in data
    }
    if "steps" in extra:
        extra["steps"] = [_step_write_from_json(s) for s in extra["steps"]]
    if extra.get("outcome") is not None:
        extra["outcome"] = Outcome.from_json(extra["outcome"])
    return cls(**common, **extra)


def _impact_json(impact: Impact | None) -> dict[str, Any] | None:
    """`{active, paused}`, plus `pending` and the `sequences` carrying it when there are any,
    and `at_least` when the API capped a count (the figures are lower bounds)."""
    if impact is None:
        return None
    data: dict[str, Any] = {"active": impact.active, "paused": impact.paused}
    if impact.pending:
        data["pending"] = impact.pending
    if impact.sequences:
        data["sequences"] = [dataclasses.asdict(s) for s in impact.sequences]
    if impact.at_least:
        data["at_least"] = True
    return data


def _impact_from_json(data: dict[str, Any] | None) -> Impact | None:
    if not data:
        return None
    sequences = tuple(SequenceImpact(**s) for s in data.get("sequences", []))
    return Impact(
        active=data["active"],
        paused=data["paused"],
        pending=data.get("pending", 0),
        sequences=sequences,
        at_least=bool(data.get("at_least")),
    )


def _resource_json(resource: Resource | None) -> dict[str, Any] | None:
    return None if resource is None else resource.model_dump(mode="json", exclude_none=True)


def _resource_from_json(data: dict[str, Any] | None) -> Resource | None:
    return None if data is None else manifest_adapter.validate_python(data)


def _live_json(live: LiveObject | None) -> dict[str, Any] | None:
    if live is None:
        return None
    return {
        "resource": _resource_json(live.resource),
        "owner": live.owner,
        "steps": [s.to_json() for s in live.steps],
        **_results_json(live.results),
    }


def _live_from_json(
    data: dict[str, Any] | None, id: int | None, updated_at: str | None
) -> LiveObject | None:
    if data is None or id is None:
        return None
    return LiveObject(
        resource=live_resource_adapter.validate_python(data["resource"]),
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
