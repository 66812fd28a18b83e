"""What apply did: every change done, failed (with a one-line reason) or not attempted."""

from __future__ import annotations

from dataclasses import dataclass, field

from seqops.plan.changes import Change

DONE, FAILED, NOT_ATTEMPTED = "done", "failed", "not attempted"
FORMAT_VERSION = 1
"""Of the report document (`schemas/report.schema.json`)."""


@dataclass
class ChangeResult:
    change: Change
    status: str
    reason: str = ""
    duration: float | None = None
    """Seconds from the change's first write to its end; None when it was not attempted."""
    created_id: int | None = None
    """The id a create got (the change itself has none)."""
    field: tuple[str | int, ...] | None = None
    """The manifest field the API's refusal points at (a 422's pointer), when it names one."""

    def __str__(self) -> str:
        return f"{self.status}: {self.change}" + (f": {self.reason}" if self.reason else "")

    def to_json(self) -> dict:
        c = self.change
        return {
            "action": c.action,
            "kind": c.kind,
            "name": c.name,
            "id": c.id if c.id is not None else self.created_id,
            "status": self.status,
            "error": self.reason if self.status != DONE else None,
            "duration": None if self.duration is None else round(self.duration, 3),
        }


@dataclass
class ApplyReport:
    results: list[ChangeResult] = field(default_factory=list)
    refusal: str | None = None
    """Why apply refused to start (safety rule, lint errors, no confirmation, stale plan)."""
    interrupted: str | None = None
    """Why apply stopped starting changes (a signal): the report's `error`."""

    @classmethod
    def refused(cls, changes: list[Change], reason: str) -> ApplyReport:
        """Nothing was written: every change not attempted, the refusal as its error (CI jobs
        upload the report whether apply ran or not)."""
        return cls([ChangeResult(c, NOT_ATTEMPTED, reason) for c in changes], refusal=reason)

    def of(self, status: str) -> list[ChangeResult]:
        return [r for r in self.results if r.status == status]

    @property
    def ok(self) -> bool:
        done = all(r.status == DONE for r in self.results)
        return self.refusal is None and self.interrupted is None and done

    @property
    def counts(self) -> dict[str, int]:
        return {s: len(self.of(s)) for s in (DONE, FAILED, NOT_ATTEMPTED)}

    def to_json(self) -> dict:
        """The `apply --report FILE` document: every change and the totals."""
        return {
            "format_version": FORMAT_VERSION,
            "changes": [r.to_json() for r in self.results],
            "totals": {**self.counts, "total": len(self.results)},
            "ok": self.ok,
            "error": self.refusal or self.interrupted,
        }
