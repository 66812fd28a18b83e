"""Loaded manifests that still know where each one is written.

Errors found after loading (names only the account knows, its limits) must point at the
manifest line like validation errors do. Overrides replace resources by new objects, so a
resource is found again by its kind and name, which are unique per kind.
"""

from __future__ import annotations

from seqops.manifest.loader import LoadResult
from seqops.manifest.models import Resource


class Manifests(list[Resource]):
    """The resources of a `LoadResult`, in order, plus `locate`."""

    def __init__(self, result: LoadResult):
        super().__init__(result.resources)
        self._result = result
        self._by_key = {(r.kind, r.name): r for r in result.resources}

    @property
    def result(self) -> LoadResult:
        """What the load found: lint locates its findings through it."""
        return self._result

    def locate(
        self, kind: str, name: str, path: tuple[str | int, ...]
    ) -> tuple[str, int, int] | None:
        """FILE, LINE, COLUMN of `path` inside the manifest `kind`/`name` (None: not loaded)."""
        resource = self._by_key.get((kind, name))
        return None if resource is None else self._result.locate(resource, path)
