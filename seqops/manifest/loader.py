"""Load manifests: files -> YAML documents -> JSON Schema -> typed resources -> semantic checks.

Every layer reports into one list of located errors; a problem in one document never stops the
others from being checked. Layers 1 and 2 work file by file (in worker processes for big sets);
layer 3 then sees every document of every file: the valid ones, and what is left of the invalid
ones once their invalid values are cut out (`salvage`), so that a document with schema errors
still gets its semantic errors.

A document is a seqops manifest when its `kind` is a seqops kind and it has `metadata` and
`spec`, whatever its `apiVersion` (DESIGN §3); or when its `apiVersion` says seqops, even
misspelt (`Seqops/v1`, `seqop/v1`); or when it has a seqops `kind` and no `apiVersion`. A wrong
`apiVersion` or `kind` on such a document is then a located error, never a skip. Other YAML
(Kubernetes files, CI workflows, a list, a scalar) is skipped with a note, and remembered
(`LoadResult.skipped_documents`) so that nothing it names is retired by mistake; a set without
a single seqops manifest is an error.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from seqops.manifest.errors import Finding, ManifestError, Note, format_path
from seqops.manifest.files import Source, SourceError, discover, read_text
from seqops.manifest.models import KINDS, Resource
from seqops.manifest.references import Keys, reference_kind
from seqops.manifest.salvage import Remainder, salvage
from seqops.manifest.schema_check import describe, model_findings, schema_findings
from seqops.manifest.semantics import check
from seqops.manifest.yamlnodes import Document, parse

PARALLEL_FROM = 200
"""Files from which layers 1-2 run in worker processes: below it, starting them costs more."""


@dataclass
class LoadResult:
    """What a set of paths holds: typed resources in file and document order, and every error."""

    resources: list[Resource] = field(default_factory=list)
    errors: list[ManifestError] = field(default_factory=list)
    files: int = 0
    """Files that hold at least one seqops manifest (valid or not)."""
    skipped: list[str] = field(default_factory=list)
    """Files that hold YAML but no seqops manifest (CI workflows, Kubernetes, config)."""
    notes: list[Note] = field(default_factory=list)
    """One per document skipped as no seqops manifest, where it starts."""
    skipped_documents: list[SkippedDocument] = field(default_factory=list)
    """The skipped documents that name something: nothing they name may be retired."""
    _checked: list[Resource] = field(default_factory=list, repr=False)
    """Every resource the semantic rules see, in file and document order: the valid ones and
    what is left of invalid documents (`_remainders`), which are never planned."""
    _remainders: dict[int, Remainder] = field(default_factory=dict, repr=False)
    _misnamed: list[tuple[int, str, str]] = field(default_factory=list, repr=False)
    _origins: dict[int, tuple[str, Document]] = field(default_factory=dict, repr=False)
    """Each resource's file and document: where it starts, and its file's text, from which
    positions inside it are found again when asked (`yamlnodes.Text`)."""
    inspected: dict[int, Any] = field(default_factory=dict, repr=False)
    """`load(inspect=...)`'s result for each valid resource, by `id(resource)`."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def narrow_to(self, paths: Iterable[Path | str]) -> None:
        """Keep only the errors and notes of the files under `paths` (loaded with others for
        context): what `validate --context` reports. No error about the whole set remains."""
        paths = list(paths)
        sources, _ = discover(paths)
        keep = {source.display for source in sources} | {str(path) for path in paths}
        self.errors = [e for e in self.errors if e.file in keep]
        self.notes = [n for n in self.notes if n.file in keep]

    def location(self, resource: Resource) -> tuple[str, int, int]:
        """FILE, LINE, COLUMN where `resource`'s document starts."""
        file, document = self._origins[id(resource)]
        return (file, *document.position)

    def locate(self, resource: Resource, path: tuple[str | int, ...]) -> tuple[str, int, int]:
        """FILE, LINE, COLUMN of a path inside `resource`'s document (e.g. a step's wait)."""
        file, document = self._origins[id(resource)]
        return (file, *document.locate(path))


@dataclass
class FileResult:
    """Layers 1 and 2 for one file."""

    file: str
    documents: list[tuple[Resource, Remainder | None, Document]] = field(default_factory=list)
    """Valid resources (no remainder) and what is left of invalid ones, in document order."""
    errors: list[ManifestError] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    broken: list[tuple[str, str]] = field(default_factory=list)
    """(kind, name) of documents too broken to salvage: references to them are not reported."""
    inspected: dict[int, Any] = field(default_factory=dict)
    """`inspect`'s result for each valid resource, by its index in `documents`."""
    manifests: int = 0
    """Documents that are seqops manifests, valid or not."""
    skipped_documents: list[SkippedDocument] = field(default_factory=list)
    misnamed: list[tuple[int, str, str]] = field(default_factory=list)
    """(index in `errors`, kind, text) of references that are no valid name (a file name, a
    display name): the whole set's names suggest what was meant (`seqops.manifest.references`)."""

    @property
    def skipped(self) -> bool:
        return not self.manifests and not self.errors


Inspect = Callable[[Resource], Any]
"""Work on one valid resource done where it is loaded (a worker process for big sets), so that
it runs in parallel with the parsing; its result must pickle."""


def load(
    paths: Iterable[Path | str],
    jobs: int | None = None,
    inspect: Inspect | None = None,
    model_first: bool = False,
    positions: bool = False,
) -> LoadResult:
    """Validate everything under `paths` (files, and directories walked for *.yaml/*.yml).
    `jobs` worker processes check files in parallel; by default one per CPU for big sets.
    `inspect`, a module-level function (or a partial of one), is called on each valid resource
    as it is loaded; `LoadResult.inspected` holds what it returned.

    `model_first`: the models decide, and the JSON Schema runs only to explain a document they
    refuse. Same errors, about half the validation time: the schemas are generated from the
    models, and tests hold both to the same verdicts (`tests/manifest/test_schema_agreement.py`)
    and this loader to the same errors either way (`tests/manifest/test_model_first.py`).
    `lint` uses it; `validate` keeps the schema first, since the committed schema files are the
    source of truth it certifies (DESIGN §2).

    `positions`: index where each value was written while parsing, at almost no cost, instead of
    parsing a file again the first time one of its values is located. For `lint`, which locates
    findings in most files it reads; `validate` locates only errors, in the few files that have
    them."""
    paths = list(paths)
    result = LoadResult()
    sources, problems = discover(paths)
    for problem in problems:
        result.errors.append(_error(problem.path, None, None, problem.message))
    broken: dict[str, set[str]] = {}
    manifests = 0
    if not model_first:  # every document meets the schema: imported once, before workers fork
        import seqops.manifest.schemas  # noqa: F401
    with _paused_gc():
        for checked in _check_files(
            sources,
            jobs,
            partial(check_file, inspect=inspect, model_first=model_first, positions=positions),
        ):
            _merge(result, checked, broken)
            manifests += checked.manifests
    _check_semantics(result, broken)
    if not manifests and not result.errors:
        where = ", ".join(str(p) for p in paths)
        result.errors.append(_error("", None, None, f"no manifests under {where}"))
    return result


def _merge(result: LoadResult, checked: FileResult, broken: dict[str, set[str]]) -> None:
    result.notes.extend(checked.notes)
    result.skipped_documents.extend(checked.skipped_documents)
    if checked.skipped:
        result.skipped.append(checked.file)
        return
    result.files += 1
    offset = len(result.errors)
    result._misnamed += [(offset + i, kind, text) for i, kind, text in checked.misnamed]
    result.errors.extend(checked.errors)
    for index, (resource, remainder, document) in enumerate(checked.documents):
        if index in checked.inspected:
            result.inspected[id(resource)] = checked.inspected[index]
        if remainder is None:
            result.resources.append(resource)
        else:
            result._remainders[id(resource)] = remainder
        result._checked.append(resource)
        result._origins[id(resource)] = (checked.file, document)
    for kind, name in checked.broken:
        broken.setdefault(kind, set()).add(name)


def _check_files(
    sources: Sequence[Source], jobs: int | None, check: Callable[[Source], FileResult]
) -> Iterator[FileResult]:
    jobs = jobs or _default_jobs(len(sources))
    if jobs <= 1:
        yield from map(check, sources)
        return
    # fork: workers start with everything imported and the schema validator already built
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
        yield from pool.map(check, sources, chunksize=max(1, len(sources) // (jobs * 8)))


def _default_jobs(files: int) -> int:
    # fork copies only the calling thread: with other threads running it could copy a held lock
    if files < PARALLEL_FROM or sys.platform != "linux" or threading.active_count() > 1:
        return 1
    return min(len(os.sched_getaffinity(0)), 8)


@contextmanager
def _paused_gc() -> Iterator[None]:
    """Parsing allocates millions of short-lived objects, which would make the cyclic garbage
    collector rescan every resource already loaded, again and again: a third of the time for
    2,000 files. Nothing here makes reference cycles worth collecting before the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_file(
    source: Source,
    inspect: Inspect | None = None,
    model_first: bool = False,
    positions: bool = False,
) -> FileResult:
    """Layers 1 and 2 for one file: its resources, or located errors. Never raises (but
    `inspect` may)."""
    checked = FileResult(source.display)
    try:
        text = read_text(source.path)
    except SourceError as exc:
        checked.errors.append(_error(source.display, exc.line, exc.column, exc.message))
        return checked
    parsed = parse(text, positions)
    for problem in parsed.problems:
        checked.errors.append(_error(source.display, problem.line, problem.column, problem.message))
    documents = [d for d in parsed.documents if d.data is not None]  # `---` with nothing after
    if not documents and not parsed.problems:
        checked.notes.append(Note(file=source.display, line=1, column=1, message=EMPTY))
    for document in documents:
        if is_manifest(document.data):
            checked.manifests += 1
            _check_document(checked, document, model_first)
        elif source.path.name not in CONFIG_NAMES:
            line, column = document.position
            checked.notes.append(
                Note(file=source.display, line=line, column=column, message=FOREIGN)
            )
            if (named := SkippedDocument.of(source.display, document)) is not None:
                checked.skipped_documents.append(named)
    if inspect is not None:
        for index, (resource, remainder, _) in enumerate(checked.documents):
            if remainder is None:
                checked.inspected[index] = inspect(resource)
    return checked


FOREIGN = "not a seqops manifest, skipped"
CONFIG_NAMES = ("seqops.yaml", "seqops.yml")
"""seqops' own configuration: skipped without a note (`seqops validate` checks it as such)."""
EMPTY = "no YAML document, skipped"


def is_manifest(data: Any) -> bool:
    """A seqops manifest, however broken (a list of those is one written the wrong way).
    Anything else is someone else's YAML (a Kubernetes ConfigMap, a CI workflow, an OpenShift
    `kind: Template`, which has no `spec`, seqops.yaml itself)."""
    if isinstance(data, list):
        return any(is_manifest(item) for item in data if isinstance(item, dict))
    if not isinstance(data, dict):
        return False
    version = data.get("apiVersion")
    if isinstance(version, str) and looks_like_seqops(version):
        return True
    if not seqops_kind(data.get("kind")):
        return False
    return version is None or ("metadata" in data and "spec" in data)


def looks_like_seqops(version: str) -> bool:
    """`seqops/v1` and its misspellings (`Seqops/v1`, `seqop/v1`, `sqeops/v1`); not `v1`."""
    group = version.partition("/")[0].strip().lower()
    return group.startswith("seqops") or SequenceMatcher(None, group, "seqops").ratio() >= 0.8


def seqops_kind(kind: Any) -> bool:
    """One of the seqops kinds, whatever its case (`kind: sequence` is a manifest with a
    misspelt kind: no other tool's kind is spelt so)."""
    return isinstance(kind, str) and kind.lower() in _LOWER_KINDS


_LOWER_KINDS = {kind.lower() for kind in KINDS}


@dataclass(frozen=True)
class SkippedDocument:
    """A mapping skipped as no seqops manifest that names something (`metadata.name`): the
    plan refuses to retire what it names (a manifest whose `spec` was misspelt, say)."""

    file: str
    line: int
    column: int
    name: str
    kind: str | None
    api_version: str | None

    @classmethod
    def of(cls, file: str, document: Document) -> SkippedDocument | None:
        data = document.data
        metadata = data.get("metadata") if isinstance(data, dict) else None
        name = metadata.get("name") if isinstance(metadata, dict) else None
        if not isinstance(data, dict) or not isinstance(name, str):
            return None
        kind, version = data.get("kind"), data.get("apiVersion")
        return cls(
            file,
            *document.position,
            name,
            kind if isinstance(kind, str) else None,
            version if isinstance(version, str) else None,
        )

    def __str__(self) -> str:
        said = ", ".join(
            f"{key} {value!r}"
            for key, value in (("apiVersion", self.api_version), ("kind", self.kind))
            if value is not None
        )
        return f"{self.file}:{self.line}:{self.column}: {said or 'a document'} named {self.name!r}"


def _check_document(checked: FileResult, document: Document, model_first: bool) -> None:
    data = document.data
    if not isinstance(data, dict):
        message = (
            f"a manifest is a mapping (apiVersion, kind, metadata, spec), not {describe(data)}: "
            "write each manifest as its own document, separated by `---`"
        )
        checked.errors.append(_error(checked.file, *document.position, message))
        return
    label = _Label.of(data)
    resource, findings = _validate_model_first(data) if model_first else _validate(data)
    if resource is not None:
        document.data = None  # the resource holds it now; the document only locates errors
        checked.documents.append((resource, None, document))
        return
    start = len(checked.errors)
    checked.errors.extend(_located(checked.file, document, label, findings))
    for index, finding in enumerate(findings):
        if finding.value is not None and (kind := reference_kind(finding.path)) is not None:
            checked.misnamed.append((start + index, kind, finding.value))
    salvaged = _salvage(data, findings)
    document.data = None
    if salvaged is not None:
        checked.documents.append((*salvaged, document))
    elif label.kind and label.name:
        checked.broken.append((label.kind, label.name))


def _validate(data: dict[str, Any]) -> tuple[Resource | None, list[Finding]]:
    findings = schema_findings(data)
    if findings:
        return None, findings
    try:
        return KINDS[data["kind"]].model_validate(data, strict=True), []
    except ValidationError as exc:  # a model rule its schema does not spell out
        return None, model_findings(exc)


def _validate_model_first(data: dict[str, Any]) -> tuple[Resource | None, list[Finding]]:
    kind = data.get("kind")
    model = KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:  # no kind the models know: the schema says what is wrong
        return _validate(data)
    try:
        return model.model_validate(data, strict=True), []
    except ValidationError:  # the schema explains it, unless only a model rule was broken
        return _validate(data)


def _salvage(data: dict[str, Any], findings: list[Finding]) -> tuple[Resource, Remainder] | None:
    kind = data.get("kind")
    model = KINDS.get(kind) if isinstance(kind, str) else None
    return salvage(model, data, findings) if model is not None else None


def _suggest_keys(result: LoadResult) -> None:
    """A reference written as a file or display name: say which key it means."""
    if not result._misnamed:
        return
    keys = Keys.of((r, result._origins[id(r)][0]) for r in result._checked)
    for index, kind, text in result._misnamed:
        if (hint := keys.hint(kind, text)) is not None:
            error = result.errors[index]
            result.errors[index] = dataclasses.replace(
                error, message=f"{text!r} is not a valid name ({hint})"
            )


def _check_semantics(result: LoadResult, broken: dict[str, set[str]]) -> None:
    def where(resource: Resource, path: tuple[str | int, ...] = ()) -> str:
        file, line, _ = result.locate(resource, path) if path else result.location(resource)
        return f"{file}:{line}"

    _suggest_keys(result)
    for resource, finding in check(result._checked, where, broken):
        remainder = result._remainders.get(id(resource))
        if remainder is not None:
            if remainder.explains(finding):
                continue
            finding = Finding(remainder.original(finding.path), finding.message, finding.at_key)
        file, document = result._origins[id(resource)]
        label = _Label(resource.kind, resource.name)
        result.errors.extend(_located(file, document, label, [finding]))
    files: dict[str, int] = {}
    for error in result.errors:
        files.setdefault(error.file, len(files))
    result.errors.sort(key=lambda e: (files[e.file], e.line or 0, e.column or 0))
    result.errors = list(dict.fromkeys(result.errors))  # a finding both layers made


@dataclass
class _Label:
    """The kind and name a document claims, to say whose error it is."""

    kind: str | None = None
    name: str | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> _Label:
        kind, metadata = data.get("kind"), data.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        return cls(kind if isinstance(kind, str) else None, name if isinstance(name, str) else None)


def _located(
    file: str, document: Document, label: _Label, findings: Iterable[Finding]
) -> Iterator[ManifestError]:
    for finding in findings:
        line, column = document.locate(finding.path, finding.at_key)
        yield _error(
            file,
            line,
            column,
            finding.message,
            path=format_path(finding.path),
            kind=label.kind,
            name=label.name,
        )


def _error(
    file: str, line: int | None, column: int | None, message: str, **where: Any
) -> ManifestError:
    return ManifestError(file=file, line=line, column=column, message=message, **where)
