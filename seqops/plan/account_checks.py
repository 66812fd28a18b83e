"""What only the account can tell: names it defines and limits of its API, checked at plan time.

Validation cannot know which owners, stages and task priorities an account has, nor that a
replace will add ` (v2)` to a display name already near the API's limit. Left to apply, each of
these fails a write after other writes were made (the ruleset and templates created, the
sequence created without its steps). `plan` reads the account anyway, so it checks them there
and stops before anything is written, every problem at once, each at its manifest line.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, get_args

from annotated_types import MaxLen

from seqops.manifest.models import Resource, Ruleset, Sequence
from seqops.manifest.models.base import Duration
from seqops.manifest.models.ruleset import PRIORITY_FIELDS, STAGE_FIELDS
from seqops.plan.changes import Change, Replace
from seqops.plan.diff import display_name
from seqops.plan.errors import PlanError
from seqops.plan.versions import longest_length, version_of
from seqops.providers.base import LiveState

API_INT_MAX = 2**31 - 1
"""The API's integers are 32-bit: a larger value (e.g. `wait: 10000w` in seconds) is refused."""
SHOWN_NAMES = 8
CUTOFF = {"owner": 0.85}
"""How alike a name must be to be suggested: emails share their domain, so more."""
"""How many of the account's names an error lists (an account may have hundreds of users)."""

Path = tuple[str | int, ...]
Locate = Callable[[str, str, Path], "tuple[str, int, int] | None"]
"""(kind, name, path inside the manifest) -> (FILE, LINE, COLUMN), when known."""


@dataclass(frozen=True)
class AccountProblem:
    """A manifest value the account would refuse, at `path` inside `kind`/`name`."""

    kind: str
    name: str
    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.name}: {self.message}"


class AccountCheckError(PlanError):
    """Manifests that name what the account does not have, or break its limits."""

    def __init__(self, problems: list[AccountProblem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))

    def located(self, locate: Locate | None) -> list[str]:
        """One `FILE:LINE:COL: Kind/name: message` line per problem (as `validate` prints)."""
        lines = [(_where(p, locate), str(p)) for p in self.problems]
        lines.sort(key=lambda line: line[0] or ("", 0, 0))
        return [_line(where, text) for where, text in lines]

    @property
    def summary(self) -> str:
        count = len(self.problems)
        return (
            f"{count} value{'s' if count > 1 else ''} the account would refuse: "
            "fix the manifests (nothing was written)"
        )


def account_problems(resources: Iterable[Resource], state: LiveState) -> list[AccountProblem]:
    """Owners, stages and task priorities the account does not define; values out of the
    API's integer range (display names are held to the API's limit by the schema)."""
    tables = {
        "owner": list(state.users),
        "stage": list(state.stages),
        "task priority": list(state.task_priorities),
    }
    problems: list[AccountProblem] = []
    for resource in resources:
        if resource.absent:
            continue
        for what, path, value in references(resource):
            if value not in tables[what]:
                message = unknown(what, value, tables[what])
                problems.append(AccountProblem(resource.kind, resource.name, path, message))
        problems += _limits(resource)
    return problems


def replace_problems(changes: Iterable[Change]) -> list[AccountProblem]:
    """A replace's new version name over the API's display name limit, counting the longest
    name it can get: ` (v2)` added, and ` (v2, retiring)` once a later replace drains it."""
    problems = []
    for change in changes:
        limit = name_limit(change.kind)
        if not isinstance(change, Replace) or limit is None:
            continue
        new_name, longest = change.new_display_name, longest_length(change.new_display_name)
        if longest <= limit:
            continue
        suffix = longest - len(display_name(change.manifest))
        problems.append(
            AccountProblem(
                change.kind,
                change.name,
                _display_name_path(change.desired),
                f"a replace names the new version '…{new_name[-12:]}', {longest} characters "
                f"once it drains in turn ('… (v{version_of(new_name)}, retiring)'): over the "
                f"API's limit of {limit}; shorten displayName to {limit - suffix} characters "
                "or fewer",
            )
        )
    return problems


def references(resource: Resource) -> Iterator[tuple[str, Path, str]]:
    """(what, path, value) of every account-defined name a manifest uses."""
    if isinstance(resource, Sequence):
        if resource.spec.owner is not None:
            yield "owner", ("spec", "owner"), resource.spec.owner
        for i, step in enumerate(resource.spec.steps):
            if step.priority is not None:
                yield "task priority", ("spec", "steps", i, "priority"), step.priority
    elif isinstance(resource, Ruleset):
        for field in STAGE_FIELDS:
            value = getattr(resource.spec, field, None)
            if value is not None:
                yield "stage", ("spec", field), value
        for field in PRIORITY_FIELDS:
            value = getattr(resource.spec, field, None)
            if value is not None:
                yield "task priority", ("spec", field), value


def unknown(what: str, value: str, known: list[str]) -> str:
    """`unknown task priority 'urgent' (account has: high, medium, low; did you mean …?)`"""
    shown = ", ".join(known[:SHOWN_NAMES]) or "none"
    if len(known) > SHOWN_NAMES:
        shown += f", … ({len(known)} in all)"
    guess = _closest(value, known, CUTOFF.get(what, 0.6))
    hint = f"; did you mean {guess!r}?" if guess else ""
    return f"unknown {what} {value!r} (account has: {shown}{hint})"


def name_limit(kind: str) -> int | None:
    """The API's display name limit for a kind, as its manifest model declares it."""
    from seqops.manifest.models import KINDS

    model = KINDS.get(kind)
    spec: Any = model.model_fields["spec"].annotation if model else None
    field = getattr(spec, "model_fields", {}).get("displayName")
    lengths = [m.max_length for m in getattr(field, "metadata", []) if isinstance(m, MaxLen)]
    return lengths[0] if lengths else None


def _limits(resource: Resource) -> list[AccountProblem]:
    problems = []
    spec = resource.model_dump(mode="json", exclude_none=True).get("spec", {})
    for path, value in _integers(spec, ("spec",)):
        if value > API_INT_MAX:
            problems.append(
                AccountProblem(
                    resource.kind,
                    resource.name,
                    path,
                    f"{value}{' seconds' if _is_duration(path) else ''} is over the API's "
                    f"largest integer {API_INT_MAX}",
                )
            )
    return problems


def _integers(value: Any, path: Path) -> Iterator[tuple[Path, int]]:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _integers(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _integers(item, (*path, i))


def _is_duration(path: Path) -> bool:
    """Whether the value at `path` is a duration (written `2d`, sent in seconds)."""
    from seqops.manifest.models.ruleset import RulesetSpec
    from seqops.manifest.models.sequence import SequenceSpec, Step

    models = (Step, SequenceSpec, RulesetSpec)
    fields = [m.model_fields.get(str(path[-1])) for m in models]
    return any(
        f is not None and Duration in (f.annotation, *get_args(f.annotation)) for f in fields
    )


def _display_name_path(resource: Resource | None) -> Path:
    spec = getattr(resource, "spec", None)
    return ("spec", "displayName") if getattr(spec, "displayName", None) else ("metadata", "name")


def _closest(value: str, known: list[str], cutoff: float) -> str | None:
    folded = {k.casefold(): k for k in known}
    if value.casefold() in folded:
        return folded[value.casefold()]
    close = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=cutoff)
    return folded[close[0]] if close else None


def _where(problem: AccountProblem, locate: Locate | None) -> tuple[str, int, int] | None:
    return locate(problem.kind, problem.name, problem.path) if locate else None


def _line(where: tuple[str, int, int] | None, text: str) -> str:
    return text if where is None else f"{where[0]}:{where[1]}:{where[2]}: {text}"
