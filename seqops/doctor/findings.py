"""What `seqops doctor` found: one `Finding` per check, and the `Report` that gathers them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

LEVELS = ("ok", "info", "warning", "blocking")
"""ok: checked and fine; info: worth knowing, changes nothing; warning: seqops copes but a
person should look; blocking: a safe first apply is not possible until it is fixed."""


@dataclass(frozen=True)
class Finding:
    check: str
    level: str
    message: str
    items: tuple[str, ...] = ()
    """The objects concerned, one line each (`sequence 'Inbound' (id 4)`)."""


@dataclass
class Report:
    target: str
    findings: list[Finding] = field(default_factory=list)
    requests: int = 0
    rate_limit: dict[str, int | None] = field(default_factory=dict)

    def add(self, check: str, level: str, message: str, items: list[str] | None = None) -> None:
        assert level in LEVELS, level
        self.findings.append(Finding(check, level, message, tuple(items or ())))

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "blocking"]

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "ok": not self.blocking,
            "blocking": len(self.blocking),
            "requests": self.requests,
            "rateLimit": self.rate_limit,
            "findings": [asdict(f) | {"items": list(f.items)} for f in self.findings],
        }
