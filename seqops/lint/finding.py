"""What lint reports: a located finding of one rule, and the severities it can carry."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum

from seqops.manifest.errors import one_line


class Severity(StrEnum):
    error = "error"
    """Blocks: `seqops lint` exits 1 and `apply` refuses (unless `lint.blockApply: false`)."""
    warning = "warning"
    info = "info"


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem at FILE:LINE:COL (1-based), as `FILE:LINE:COL: RULE-ID severity: message`."""

    rule: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None
    """Where the offending text ends (exclusive column), when it is a span of text."""
    kind: str | None = None
    name: str | None = None
    about: tuple[str, str] | None = field(default=None, compare=False, repr=False)
    """(kind, name) of the resource the problem is about, when it is reported in another one
    (`Hit.about`): `plan` lists it under that resource's change. Not part of `to_dict`."""
    fingerprint: str | None = field(default=None, compare=False, repr=False)
    """What identifies the problem whatever moves around it (rule, document, path, offending
    text), for SARIF's partialFingerprints. Not part of `to_dict`."""

    def __str__(self) -> str:
        where = f"{one_line(self.file)}:{self.line}:{self.column}"
        return f"{where}: {self.rule} {self.severity}: {one_line(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.error

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)}
        for internal in INTERNAL:
            del data[internal]
        data["severity"] = str(self.severity)
        return data


INTERNAL = ("about", "fingerprint")
"""Fields a finding carries for seqops itself, not in the JSON it prints or saves."""
