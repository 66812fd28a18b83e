"""Per-target overrides: one set of manifests, several targets with their own values.

A target in `seqops.yaml` may list `overrides`. Each selects manifests by `kind` (optional),
a glob on `metadata.name` (default `*`) and `labels` (all must match), and merges its `spec`
into theirs the way a JSON Merge Patch (RFC 7396) does: mappings merge key by key, anything
else (lists included) is replaced, and `null` removes a key (seqops then leaves that field
unmanaged). `state: absent` retires the selected resources on that target only. Overrides apply
in order, after the manifests are loaded and validated and before planning; the result is
validated again with the manifest models, and every error names the override's line in
`seqops.yaml`. There is deliberately no templating: manifests stay plain YAML that every
target shares, and each difference between targets is written once, in one place.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import ValidationError

from seqops import config_check
from seqops.manifest.errors import format_path
from seqops.manifest.models import Resource
from seqops.manifest.semantics import check

R = TypeVar("R", bound=Resource)
"""A manifest kind: overrides never change what kind a resource is."""


class OverlayError(Exception):
    """Overrides that select nothing or make a manifest invalid; one `FILE:LINE:COL:` line
    per problem."""


@dataclass(frozen=True)
class Override:
    """One entry of a target's `overrides` list."""

    spec: Mapping[str, Any] = field(default_factory=dict)
    kind: str | None = None
    name: str = "*"
    labels: Mapping[str, str] = field(default_factory=dict)
    state: str | None = None
    where: str = "seqops.yaml"
    """`FILE:LINE:COL` of the entry, for error messages."""
    values: Mapping[tuple[str | int, ...], str] = field(default_factory=dict)
    """`FILE:LINE:COL` of each value inside `spec` (by its path there), for error messages."""

    def where_of(self, path: Iterable[Any]) -> str | None:
        """Where this override writes the value at `path` of a manifest (`spec.x.y`), or None
        when it does not set it: the deepest of its values on that path."""
        parts = tuple(path)
        if parts[:1] != ("spec",):
            return None
        inside = parts[1:]
        for depth in range(len(inside), 0, -1):
            if (found := self.values.get(inside[:depth])) is not None:
                return found
        return None

    def selects(self, resource: Resource) -> bool:
        labels = resource.metadata.labels
        return (
            (self.kind is None or resource.kind == self.kind)
            and fnmatch.fnmatchcase(resource.name, self.name)
            and all(labels.get(k) == v for k, v in self.labels.items())
        )

    def describe(self) -> str:
        parts = [f"kind {self.kind}" if self.kind else "any kind", f"name {self.name!r}"]
        parts += [f"labels {dict(self.labels)}"] if self.labels else []
        return ", ".join(parts)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: `patch` merged into `target` (neither is modified)."""
    if not isinstance(patch, Mapping):
        return patch
    merged = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def apply_overrides(resources: list[R], overrides: Iterable[Override]) -> list[R]:
    """The resources as the target sees them. Untouched resources are returned as they are."""
    overrides = list(overrides)
    if not overrides:
        return resources
    problems = [f"{o.where}: override matches no manifest ({o.describe()})" for o in overrides]
    problems = [p for o, p in zip(overrides, problems, strict=True) if not _any(o, resources)]
    result: list[R] = []
    touched: dict[int, list[Override]] = {}
    for resource in resources:
        chosen = [o for o in overrides if o.selects(resource)]
        merged, errors = _overlay(resource, chosen) if chosen else (resource, [])
        problems += errors
        touched[id(merged)] = chosen
        result.append(merged)
    problems += _semantic_problems(result, touched)
    if problems:
        raise OverlayError("\n".join(problems))
    return result


def _any(override: Override, resources: list[R]) -> bool:
    return any(override.selects(r) for r in resources)


def _overlay(resource: R, overrides: list[Override]) -> tuple[R, list[str]]:
    data = resource.model_dump(mode="json", exclude_none=True)
    for override in overrides:
        data["spec"] = merge_patch(data.get("spec", {}), dict(override.spec))
        if override.state is not None:
            data["state"] = override.state
    try:
        return type(resource).model_validate(data, strict=True), []
    except ValidationError as exc:
        return resource, [
            _problem(_blamed(overrides, e["loc"]), resource, e["loc"], config_check.message(e))
            for e in exc.errors()
        ]


def _blamed(overrides: list[Override], loc: Iterable[Any]) -> str:
    """The value that made a manifest invalid: the last override that sets it, else the last
    override applied."""
    path = [p for p in loc if not str(p).startswith("function-")]
    for override in reversed(overrides):
        if (where := override.where_of(path)) is not None:
            return where
    return overrides[-1].where


def _semantic_problems(
    resources: Sequence[Resource], touched: dict[int, list[Override]]
) -> list[str]:
    """Cross-manifest rules (references, wait vs date...) on the resources overrides changed."""
    problems = []
    for resource, finding in check(list(resources), lambda r, path=(): "seqops.yaml", {}):
        chosen = touched.get(id(resource))
        if chosen:
            where = _blamed(chosen, finding.path)
            problems.append(_problem(where, resource, finding.path, finding.message))
    return problems


def _problem(where: str, resource: Resource, loc: Iterable[Any], message: str) -> str:
    path = format_path([p for p in loc if not str(p).startswith("function-")])
    message = message.removeprefix("Value error, ")
    return f"{where}: {resource.kind}/{resource.name}: {path}: {message} (after overrides)"
