"""Live state -> manifest files: `export(state) -> ExportResult`.

One file per object (`sequences/<name>.yaml` with its steps, `templates/<name>.yaml`,
`rulesets/<name>.yaml`), each a manifest that passes `seqops validate` and that `seqops plan`
adopts without an update. Everything is sorted and nothing depends on the clock, so an unchanged
account exports to byte-identical files.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from seqops.export import checks
from seqops.export.documents import display_name, envelope, spec_document, step_document
from seqops.export.naming import Naming, assign_names
from seqops.export.references import References, index, step_templates
from seqops.export.selection import choose
from seqops.manifest.dump import to_yaml
from seqops.plan.versions import is_old_version
from seqops.providers.base import LiveObject, LiveState

DIRECTORIES = {"Sequence": "sequences", "Template": "templates", "Ruleset": "rulesets"}
KIND_ORDER = ("Ruleset", "Template", "Sequence")


@dataclass
class ExportResult:
    files: dict[str, str] = field(default_factory=dict)
    """Relative path (POSIX) -> YAML text, sorted by path."""
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    """Kind -> number of objects exported."""
    skipped: list[str] = field(default_factory=list)
    """Objects left out because no valid manifest can describe them (each also warned about)."""
    documents: dict[str, tuple[LiveObject, dict]] = field(default_factory=dict)
    """Relative path -> the live object and its manifest as plain data (see `files`)."""


def export(
    state: LiveState,
    *,
    select: Iterable[str] | None = None,
    owned_only: bool = False,
    today: datetime.date | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    names: dict[tuple[str, int], str] | None = None,
) -> ExportResult:
    """Manifests for the account, or for the `select`ed names (and what they reference).

    `on_progress(done, total)` is called after each object, for a progress bar. `names`
    ((kind, live id) -> metadata.name) keeps the names existing manifests already give objects
    (`seqops.export.existing`), references included."""
    state, retired = _current(state)
    naming = assign_names(state.objects, names or {})
    refs = index(state, naming)
    chosen, notes = choose(state, refs, select, owned_only)
    result = ExportResult(warnings=[*notes, *retired])
    unusable = checks.unusable(chosen, refs)
    for done, obj in enumerate(_in_order(chosen), start=1):
        if obj.id in unusable.get(obj.kind, {}):
            result.skipped.append(naming.name(obj))
        else:
            data = document(obj, naming, refs)
            result.files[path_of(obj, naming)] = to_yaml(data)
            result.documents[path_of(obj, naming)] = (obj, data)
            result.counts[obj.kind] = result.counts.get(obj.kind, 0) + 1
        if on_progress is not None:
            on_progress(done, len(chosen))
    result.warnings += checks.warnings(chosen, refs, unusable, today or datetime.date.today())
    result.files = dict(sorted(result.files.items()))
    return result


def _current(state: LiveState) -> tuple[LiveState, list[str]]:
    """The exportable objects; versions a replace retired are history, never planned again."""
    objects = [o for o in state.objects if o.kind in DIRECTORIES]
    current = [o for o in objects if not is_old_version(o.owner)]
    retired = len(objects) - len(current)
    notes = [
        f"{retired} retired sequence version(s) not exported: seqops keeps them disabled while "
        "their prospects finish"
    ]
    return dataclasses.replace(state, objects=current), notes if retired else []


def path_of(obj: LiveObject, naming: Naming) -> str:
    return f"{DIRECTORIES[obj.kind]}/{naming.name(obj)}.yaml"


def document(obj: LiveObject, naming: Naming, refs: References) -> dict:
    spec = spec_document(obj.kind, obj.resource.spec, display_name(obj))
    if obj.kind == "Sequence":
        _sequence_references(obj, spec, refs)
    pinned = obj.id if naming.is_pinned(obj) else None
    return envelope(obj.kind, naming.name(obj), pinned, spec)


def _sequence_references(obj: LiveObject, spec: dict, refs: References) -> None:
    live = obj.sequence.spec
    ruleset = refs.ruleset_of(live.ruleset)
    if ruleset is not None:
        spec["ruleset"] = refs.naming.name(ruleset)
    interval = live.sequenceType == "interval"
    templates = step_templates(obj, refs)
    steps = live.steps
    spec["steps"] = [
        step_document(step, [refs.naming.name(t) for t in sent if t], interval)
        for step, sent in zip(steps, templates, strict=True)
    ]


def _in_order(objects: Iterable[LiveObject]) -> list[LiveObject]:
    return sorted(objects, key=lambda o: (KIND_ORDER.index(o.kind), o.id))
