"""`--select KIND/NAME` (repeatable, globs): plan only some resources, retire nothing else.

A Selection is a value the planner applies to a full draft: every manifest and every live object
is still read and matched (so identities and references resolve as in a full plan), then only
the changes of selected resources are kept; an orphan outside the selection is never retired.
A selected sequence that needs a template or ruleset the account does not have yet pulls its
`create` in, with a warning, rather than planning a sequence that cannot be applied.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase

from seqops.plan.changes import Change
from seqops.plan.errors import PlanError
from seqops.plan.references import names_in

KINDS = ("Sequence", "Template", "Ruleset", "AutomationRule")
DEPENDENCY_KINDS = {"templates": "Template", "rulesets": "Ruleset"}
GLOB = set("*?[")


class SelectionError(PlanError):
    """A --select pattern that is malformed or matches nothing."""


@dataclass(frozen=True)
class Selection:
    patterns: tuple[str, ...] = ()
    """`Kind/name` globs, the kind already spelt as in manifests (`Sequence/*`)."""

    @classmethod
    def parse(cls, values: Iterable[str]) -> Selection:
        return cls(tuple(_pattern(v) for v in values))

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def __str__(self) -> str:
        return " ".join(self.patterns)

    def matches(self, kind: str, name: str) -> bool:
        return not self.patterns or any(
            fnmatchcase(f"{kind}/{name}", pattern) for pattern in self.patterns
        )

    def restrict(
        self, changes: list[Change], known: Iterable[tuple[str, str]]
    ) -> tuple[list[Change], list[str]]:
        """The changes of selected resources (plus the creates they need) and the warnings to
        show. `known` is every (kind, name) of the manifests, so a pattern matching nothing at
        all is an error rather than a silent "No changes"."""
        if not self:
            return changes, []
        named = {*known, *((c.kind, c.name) for c in changes)}
        for pattern in self.patterns:
            if not any(fnmatchcase(f"{k}/{n}", pattern) for k, n in named):
                raise SelectionError(
                    f"--select {pattern} matches no manifest and no object seqops owns"
                )
        kept = [c for c in changes if self.matches(c.kind, c.name)]
        pulled, warnings = _needed_creates(kept, changes)
        note = f"only {self} planned (--select): nothing else is changed or retired"
        return [*kept, *pulled], [note, *warnings]


def _pattern(value: str) -> str:
    kind, slash, name = value.partition("/")
    if not slash or not kind or not name:
        raise SelectionError(f"--select {value!r}: expected KIND/NAME, e.g. Sequence/inbound-demo")
    if GLOB & set(kind):
        return f"{kind}/{name}"
    canonical = {k.lower(): k for k in KINDS}.get(kind.lower())
    if canonical is None:
        close = difflib.get_close_matches(kind, KINDS, n=1)
        hint = f" (did you mean {close[0]}?)" if close else f" (one of {', '.join(KINDS)})"
        raise SelectionError(f"--select {value!r}: unknown kind {kind!r}{hint}")
    return f"{canonical}/{name}"


def _needed_creates(kept: list[Change], everything: list[Change]) -> tuple[list[Change], list[str]]:
    creates = {(c.kind, c.name): c for c in everything if c.action == "create"}
    chosen = {(c.kind, c.name) for c in kept}
    pulled: dict[tuple[str, str], Change] = {}
    warnings = []
    for change in kept:
        for table, name in names_in(change.desired):
            key = (DEPENDENCY_KINDS.get(table, ""), name)
            if key in creates and key not in chosen and key not in pulled:
                pulled[key] = creates[key]
                warnings.append(
                    f"{key[0]}/{name} is created too: {change.kind}/{change.name} uses it "
                    "and the account does not have it yet"
                )
    return list(pulled.values()), warnings
