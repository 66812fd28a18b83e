"""The manifests already in an export directory, and the live objects they describe.

Re-exporting into a directory that holds manifests must update them, never add a second
definition of an object: every Sequence, Template and Ruleset document found there is matched
to its live object the way `plan` matches it (a `metadata.id` pin, the ownership tag, else the
display name of an untagged object), and keeps its name, its file and its place in that file.
Documents are read with ruamel's round-trip loader so that an update keeps comments, key order,
`labels` and layout (`seqops.export.update`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from seqops.plan.versions import is_old_version, same_display_name
from seqops.providers.base import LiveObject, LiveResource, LiveState, live_resource_adapter

EXPORTED_KINDS = ("Sequence", "Template", "Ruleset")


@dataclass
class ManifestFile:
    """One YAML file of the directory, as ruamel's round-trip loader reads it."""

    relative: str
    text: str
    documents: list[Any]


@dataclass
class Existing:
    """One manifest document already in the directory."""

    file: ManifestFile
    index: int
    """Position of the document in its file."""
    resource: LiveResource
    """As written (the base manifest)."""
    overlaid: LiveResource
    """As the target sees it (seqops.yaml overrides merged in): what the live object matches."""

    @property
    def node(self) -> Any:
        return self.file.documents[self.index]

    @property
    def where(self) -> str:
        return f"{self.file.relative} ({self.resource.kind}/{self.resource.name})"


@dataclass
class Directory:
    """The manifests of an export directory, matched to the account."""

    files: list[ManifestFile] = field(default_factory=list)
    found: list[Existing] = field(default_factory=list)
    matched: dict[tuple[str, int], Existing] = field(default_factory=dict)
    """(kind, live id) -> the document that describes that live object."""

    @property
    def names(self) -> dict[tuple[str, int], str]:
        """The names to keep (matched objects), and those to reserve (under negative ids: the
        documents of nothing live), so that no new object takes a name already defined."""
        kept = {key: e.resource.name for key, e in self.matched.items()}
        for i, existing in enumerate(self._unclaimed(), start=1):
            kept[(existing.resource.kind, -i)] = existing.resource.name
        return kept

    def unmatched(self) -> list[Existing]:
        """Documents of no live object (excluding `state: absent`, which says so already)."""
        return [e for e in self._unclaimed() if not e.resource.absent]

    def _unclaimed(self) -> list[Existing]:
        claimed = {id(e) for e in self.matched.values()}
        return [e for e in self.found if id(e) not in claimed]


def read_directory(
    out_dir: Path,
    state: LiveState,
    overlay: Callable[[list[LiveResource]], list[LiveResource]],
) -> Directory:
    """Every seqops manifest under `out_dir` (hidden directories skipped) and its live object.
    `overlay` merges the target's overrides in (the live object carries their values)."""
    directory = Directory()
    if not out_dir.is_dir():
        return directory
    base: list[tuple[ManifestFile, int, LiveResource]] = []
    for path in sorted(_yaml_files(out_dir)):
        loaded = _load(path, out_dir)
        if loaded is None:
            continue
        directory.files.append(loaded)
        base += [(loaded, i, r) for i, r in _resources(loaded)]
    overlaid = overlay([r for _, _, r in base])
    directory.found = [Existing(f, i, r, o) for (f, i, r), o in zip(base, overlaid, strict=True)]
    directory.matched = _match(directory.found, state)
    return directory


def _yaml_files(out_dir: Path) -> list[Path]:
    return [
        p
        for p in out_dir.rglob("*")
        if p.suffix in (".yaml", ".yml")
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(out_dir).parts)
    ]


def _load(path: Path, out_dir: Path) -> ManifestFile | None:
    try:
        text = path.read_bytes().decode("utf-8")
        documents = list(YAML(typ="rt", pure=True).load_all(text))
    except (OSError, UnicodeDecodeError, YAMLError):
        return None  # not ours to read; the writer refuses to overwrite it
    return ManifestFile(path.relative_to(out_dir).as_posix(), text, documents)


def _resources(loaded: ManifestFile) -> list[tuple[int, LiveResource]]:
    found: list[tuple[int, LiveResource]] = []
    for i, document in enumerate(loaded.documents):
        if not isinstance(document, dict) or document.get("kind") not in EXPORTED_KINDS:
            continue
        if not str(document.get("apiVersion", "")).startswith("seqops/"):
            continue
        try:
            found.append((i, live_resource_adapter.validate_python(plain(document))))
        except ValidationError:
            continue  # an invalid manifest is `validate`'s to report; export leaves it alone
    return found


def plain(node: Any) -> Any:
    """A ruamel round-trip node as plain dicts and lists (for pydantic)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


def _match(found: list[Existing], state: LiveState) -> dict[tuple[str, int], Existing]:
    """Each document to its live object: pin, ownership tag, else the only untagged object of
    its display name. A live object two documents claim keeps the first (the second is then
    reported as not in the account, never silently merged)."""
    matched: dict[tuple[str, int], Existing] = {}
    for existing in found:
        live = _live_of(existing.overlaid, state)
        if live is not None:
            matched.setdefault((live.kind, live.id), existing)
    return matched


def _live_of(resource: LiveResource, state: LiveState) -> LiveObject | None:
    if resource.metadata.id is not None:
        return state.by_id(resource.kind, resource.metadata.id)
    if resource.kind != "Ruleset":
        owned = [o for o in state.of_kind(resource.kind) if o.owner == resource.name]
        if owned:
            return min(owned, key=lambda o: o.id)
    display = resource.display_name
    candidates = [
        o
        for o in state.of_kind(resource.kind)
        if (resource.kind == "Ruleset" or o.owner is None)
        and not is_old_version(o.owner)
        and _same_name(resource.kind, display, o.display_name)
    ]
    return candidates[0] if len(candidates) == 1 else None


def _same_name(kind: str, want: str, have: str) -> bool:
    return same_display_name(want, have) if kind == "Sequence" else want == have
