"""What apply did: every change done, failed (with a one-line reason) or not attempted."""

from __future__ import annotations

from dataclasses import dataclass, field

from seqops.plan.changes import Change

DONE, FAILED, NOT_ATTEMPTED = "done", "failed", "not attempted"


@dataclass
class ChangeResult:
    change: Change
    status: str
    reason: str = ""

    def __str__(self) -> str:
        return f"{self.status}: {self.change}" + (f": {self.reason}" if self.reason else "")

    def to_json(self) -> dict:
        c = self.change
        return {
            "action": c.action,
            "kind": c.kind,
            "name": c.name,
            "id": c.id,
            "status": self.status,
            "reason": self.reason,
        }


@dataclass
class ApplyReport:
    results: list[ChangeResult] = field(default_factory=list)

    def of(self, status: str) -> list[ChangeResult]:
        return [r for r in self.results if r.status == status]

    @property
    def ok(self) -> bool:
        return all(r.status == DONE for r in self.results)

    @property
    def counts(self) -> dict[str, int]:
        return {s: len(self.of(s)) for s in (DONE, FAILED, NOT_ATTEMPTED)}

    def to_json(self) -> dict:
        return {"results": [r.to_json() for r in self.results], "counts": self.counts}
