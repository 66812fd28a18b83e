"""Load manifests: files -> YAML documents -> JSON Schema -> typed resources -> semantic checks.

Every layer reports into one list of located errors; a problem in one document never stops the
others from being checked. Layer 3 sees only the documents that passed layers 1 and 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from seqops.manifest.errors import Finding, ManifestError, format_path
from seqops.manifest.files import Source, SourceError, discover, read_text
from seqops.manifest.models import KINDS, Resource
from seqops.manifest.schema_check import describe, model_findings, schema_findings
from seqops.manifest.semantics import check
from seqops.manifest.yamlnodes import Document, parse


@dataclass
class LoadResult:
    """What a set of paths holds: typed resources in file and document order, and every error."""

    resources: list[Resource] = field(default_factory=list)
    errors: list[ManifestError] = field(default_factory=list)
    files: int = 0
    skipped: list[str] = field(default_factory=list)
    """Files found by walking a directory that hold YAML but no seqops manifest (CI, config)."""
    _origins: dict[int, tuple[str, Document]] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def location(self, resource: Resource) -> tuple[str, int, int]:
        """FILE, LINE, COLUMN where `resource`'s document starts."""
        file, document = self._origins[id(resource)]
        return (file, *document.position)

    def locate(self, resource: Resource, path: tuple[str | int, ...]) -> tuple[str, int, int]:
        """FILE, LINE, COLUMN of a path inside `resource`'s document (e.g. a step's wait)."""
        file, document = self._origins[id(resource)]
        return (file, *document.locate(path))


def load(paths: Iterable[Path | str]) -> LoadResult:
    """Validate everything under `paths` (files, and directories walked for *.yaml/*.yml)."""
    loader = _Loader()
    sources, missing = discover(paths)
    for path in missing:
        loader.error(path, 1, 1, "no such file or directory")
    for source in sources:
        loader.load_file(source)
    loader.check_semantics()
    return loader.result


@dataclass
class _Label:
    """The kind and name a document claims, to say whose error it is."""

    kind: str | None = None
    name: str | None = None

    @classmethod
    def of(cls, data: Any) -> _Label:
        if not isinstance(data, dict):
            return cls()
        kind, metadata = data.get("kind"), data.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        return cls(kind if isinstance(kind, str) else None, name if isinstance(name, str) else None)


class _Loader:
    def __init__(self) -> None:
        self.result = LoadResult()
        self.broken: dict[str, set[str]] = {}

    def error(self, file: str, line: int, column: int, message: str, **where: Any) -> None:
        self.result.errors.append(
            ManifestError(file=file, line=line, column=column, message=message, **where)
        )

    def load_file(self, source: Source) -> None:
        try:
            text = read_text(source.path)
        except SourceError as exc:
            self.result.files += 1
            self.error(source.display, exc.line, exc.column, exc.message)
            return
        parsed = parse(text)
        if not source.explicit and _foreign(parsed.documents) and not parsed.problems:
            self.result.skipped.append(source.display)
            return
        self.result.files += 1
        for problem in parsed.problems:
            self.error(source.display, problem.line, problem.column, problem.message)
        if not parsed.documents and not parsed.problems:
            self.error(source.display, 1, 1, "no documents: the file holds no manifest")
        for document in parsed.documents:
            self.load_document(source.display, document)

    def load_document(self, file: str, document: Document) -> None:
        label = _Label.of(document.data)
        if not isinstance(document.data, dict):
            line, column = document.position
            message = (
                f"a manifest is a mapping of apiVersion, kind, metadata and spec, "
                f"not {describe(document.data)}"
            )
            self.error(file, line, column, message)
            return
        resource, findings = _validate(document.data)
        if resource is None:
            self.report(file, document, label, findings)
            if label.kind and label.name:
                self.broken.setdefault(label.kind, set()).add(label.name)
            return
        document.data = None  # the resource holds it now; keep only the positions
        self.result.resources.append(resource)
        self.result._origins[id(resource)] = (file, document)

    def report(
        self, file: str, document: Document, label: _Label, findings: Iterable[Finding]
    ) -> None:
        for finding in findings:
            line, column = document.locate(finding.path, finding.at_key)
            where = {"path": format_path(finding.path), "kind": label.kind, "name": label.name}
            self.error(file, line, column, finding.message, **where)

    def check_semantics(self) -> None:
        origins = self.result._origins

        def where(resource: Resource) -> str:
            file, line, _ = self.result.location(resource)
            return f"{file}:{line}"

        for resource, finding in check(self.result.resources, where, self.broken):
            file, document = origins[id(resource)]
            self.report(file, document, _Label(resource.kind, resource.name), [finding])
        self.result.errors.sort(key=self._order())

    def _order(self) -> Any:
        files: dict[str, int] = {}
        for error in self.result.errors:
            files.setdefault(error.file, len(files))
        return lambda e: (files[e.file], e.line, e.column)


def _validate(data: dict[str, Any]) -> tuple[Resource | None, list[Finding]]:
    findings = schema_findings(data)
    if findings:
        return None, findings
    try:
        return KINDS[data["kind"]].model_validate(data, strict=True), []
    except ValidationError as exc:  # a model rule its schema does not spell out
        return None, model_findings(exc)


def _foreign(documents: list[Document]) -> bool:
    """YAML that is no seqops manifest at all: not one document says an apiVersion or kind."""
    return bool(documents) and all(
        isinstance(d.data, dict) and "apiVersion" not in d.data and "kind" not in d.data
        for d in documents
    )
