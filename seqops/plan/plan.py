"""A Plan: the ordered changes for one target, their summary, checksum and safety.

The Plan knows nothing of output (see `seqops.render`). `to_json` is the DESIGN §3 document
(also the plan file); `Plan.from_json` reads it back and verifies its checksum.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from seqops.plan import safety
from seqops.plan.budget import ApiBudget
from seqops.plan.changes import ACTIONS, Change, Disable, change_from_json
from seqops.plan.errors import PlanError
from seqops.plan.old_versions import OldVersion
from seqops.plan.retiring import Draining
from seqops.providers.base import Ids

FORMAT_VERSION = 1


class PlanFileError(PlanError):
    """A saved plan that cannot be applied as is (unreadable, tampered, other target)."""


@dataclass
class Plan:
    target: str
    """Identifies the target (a seqops.yaml name, an API URL, or the embedded sandbox)."""
    changes: list[Change] = field(default_factory=list)
    target_description: str = ""
    """Names the target plainly for humans (first line of every plan)."""
    warnings: list[str] = field(default_factory=list)
    """Plan-wide notes not tied to one change (e.g. a ruleset marked absent is left alone)."""
    owned_resources: int = 0
    """Live sequences and templates owned by seqops: the base of the too-many-updates rule."""
    enabled_sequences: int = 0
    """Enabled live sequences owned by seqops: the base of the too-many-stops rule."""
    manifest_kinds: dict[str, int] = field(default_factory=dict)
    """How many manifests of each kind were given (a refusal's likely cause)."""
    requires: list[str] = field(default_factory=list)
    """The flags apply will need (sorted), as planned with the target's thresholds."""
    references: Ids = field(default_factory=Ids)
    """Manifest names -> live ids the changes need (templates, rulesets, users, stages...)."""
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Template key -> {displayName, subject} of the templates the changes send or touch: the
    names a reviewer knows them by (`seqops.plan.glossary`)."""
    draining: list[Draining] = field(default_factory=list)
    """Old versions still holding prospects (`seqops.plan.retiring`): shown, not changed."""
    budget: ApiBudget | None = None
    """About how many requests apply sends, against the API's rate limit (`plan.budget`)."""
    old_versions: list[OldVersion] = field(default_factory=list, repr=False, compare=False)
    """Drafting only: old versions to settle once their prospects are counted (not saved)."""
    abandoned: list[Disable] = field(default_factory=list, repr=False, compare=False)
    """Drafting only: disabled sequences retired, to look at once counted (not saved)."""
    template_senders: dict[str, frozenset[str]] = field(
        default_factory=dict, repr=False, compare=False
    )
    """Drafting only: owned template key -> the keys of the live sequences sending it."""

    def __post_init__(self) -> None:
        self.changes = sorted(self.changes)

    def __repr__(self) -> str:
        # Short on purpose: asyncio.run() formats the repr of a coroutine's result, and a
        # dataclass repr of a plan with thousands of changes costs tens of megabytes.
        return f"Plan(target={self.target!r}, changes={len(self.changes)})"

    @property
    def empty(self) -> bool:
        return not self.changes

    @property
    def summary(self) -> dict[str, int]:
        return {action: sum(c.action == action for c in self.changes) for action in ACTIONS}

    def violations(self, thresholds: safety.SafetyThresholds) -> list[safety.UnsafePlan]:
        return safety.violations(self, thresholds)

    def raise_if_unsafe(
        self,
        thresholds: safety.SafetyThresholds,
        *,
        allow_disruption: bool,
        force: bool,
        allow_delete: bool = True,
    ) -> None:
        """Raise the `UnsafePlan` of the first rule crossed that no given flag lifts."""
        safety.check(
            self,
            thresholds,
            allow_disruption=allow_disruption,
            force=force,
            allow_delete=allow_delete,
        )

    def body(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "target": self.target,
            "target_description": self.target_description,
            "changes": [c.to_json() for c in self.changes],
            "summary": self.summary,
            "warnings": list(self.warnings),
            "owned_resources": self.owned_resources,
            "enabled_sequences": self.enabled_sequences,
            "manifest_kinds": dict(sorted(self.manifest_kinds.items())),
            "requires": sorted(self.requires),
            "references": _ids_json(self.references),
            "templates": dict(sorted(self.templates.items())),
            "draining": [d.to_json() for d in self.draining],
            **({"budget": self.budget.to_json()} if self.budget else {}),
        }

    @property
    def checksum(self) -> str:
        return checksum(self.body())

    def to_json(self) -> dict[str, Any]:
        body = self.body()
        return {**body, "checksum": checksum(body)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        """Read a saved plan; raise PlanFileError when it is not exactly what was written."""
        if data.get("format_version") != FORMAT_VERSION:
            raise PlanFileError(f"unsupported plan format_version {data.get('format_version')!r}")
        body = {k: v for k, v in data.items() if k != "checksum"}
        if data.get("checksum") != checksum(body):
            raise PlanFileError("the plan file's checksum does not match its content: re-plan")
        return cls(
            target=data["target"],
            changes=[change_from_json(c) for c in data["changes"]],
            target_description=data.get("target_description", ""),
            warnings=list(data.get("warnings", [])),
            owned_resources=data.get("owned_resources", 0),
            enabled_sequences=data.get("enabled_sequences", 0),
            manifest_kinds=dict(data.get("manifest_kinds", {})),
            requires=list(data.get("requires", [])),
            references=Ids(**data.get("references", {})),
            templates=dict(data.get("templates", {})),
            draining=[Draining.from_json(d) for d in data.get("draining", [])],
            budget=ApiBudget.from_json(data.get("budget")),
        )


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def checksum(body: dict[str, Any]) -> str:
    """sha256 (hex) of the canonical JSON of the plan document without its checksum."""
    return hashlib.sha256(canonical(body)).hexdigest()


def _ids_json(ids: Ids) -> dict[str, dict[str, int]]:
    return {name: dict(sorted(getattr(ids, name).items())) for name in Ids.__dataclass_fields__}
