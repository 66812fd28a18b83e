"""No skipped document can retire anything (DESIGN §3).

A document the loader skipped as no seqops manifest (a misspelt `spec`, a `kind` nobody
recognises) may still be the manifest of a live object: planning without it would retire that
object, and `apply --yes` would turn off a sequence people are in. A plan that would retire
what a skipped document names is refused, pointing at the document.
"""

from __future__ import annotations

from collections.abc import Iterable

from seqops.manifest.loader import SkippedDocument
from seqops.plan.causes import RETIRED_WITHOUT_MANIFEST
from seqops.plan.changes import Change
from seqops.plan.errors import PlanError
from seqops.plan.plan import Plan


class SkippedRetirement(PlanError):
    """The plan would retire objects that skipped documents name."""

    def __init__(self, found: list[tuple[SkippedDocument, Change]]):
        self.found = found
        super().__init__("\n".join(self.lines))

    @property
    def lines(self) -> list[str]:
        """One located line per document, first column first (editors and CI parse it)."""
        return [
            f"{document}: skipped as not a seqops manifest, but the plan would retire "
            f"{change.kind}/{change.name}{_id(change)}: make it a seqops manifest "
            "(apiVersion: seqops/v1, kind, metadata, spec) or keep it out of the paths given"
            for document, change in self.found
        ]

    @property
    def summary(self) -> str:
        count = len(self.found)
        return (
            f"refusing to plan the retirement of {count} object{'s' if count > 1 else ''} "
            "that skipped YAML documents name (nothing was written)"
        )


def refuse_skipped_retirements(plan: Plan, skipped: Iterable[SkippedDocument]) -> None:
    """Raise `SkippedRetirement` when a change retires what a skipped document names."""
    by_name: dict[str, SkippedDocument] = {}
    for document in skipped:
        by_name.setdefault(document.name, document)
    found = [
        (by_name[change.name], change)
        for change in plan.changes
        if (change.reason or "").startswith(RETIRED_WITHOUT_MANIFEST) and change.name in by_name
    ]
    if found:
        raise SkippedRetirement(found)


def _id(change: Change) -> str:
    return f" (id {change.id})" if change.id is not None else ""
