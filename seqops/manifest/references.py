"""A reference written another way than by key: `template: inbound-thanks.yaml` (the file) or
`template: "Inbound - thanks for your demo request"` (the display name) is not a valid name,
but it is clear which manifest it means: say so, with the key to write instead."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from seqops.manifest.errors import Path
from seqops.manifest.models import Resource
from seqops.manifest.names import slugify
from seqops.manifest.schema_check import suggest


def reference_kind(path: Path) -> str | None:
    """The kind a manifest path refers to: a step's `template`, an A/B variant in `templates`,
    a sequence's `ruleset`; None for any other path."""
    if path[-1:] == ("template",) or (len(path) >= 2 and path[-2] == "templates"):
        return "Template"
    if tuple(path) == ("spec", "ruleset"):
        return "Ruleset"
    return None


@dataclass
class Keys:
    """How the manifests of each kind may be named by mistake: file stems, display names."""

    names: dict[str, set[str]] = field(default_factory=dict)
    by_file: dict[str, dict[str, str]] = field(default_factory=dict)
    by_display: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, resources: Iterable[tuple[Resource, str]]) -> Keys:
        """`resources`: each with the file it is written in."""
        keys = cls()
        for resource, file in resources:
            kind, name = resource.kind, resource.name
            keys.names.setdefault(kind, set()).add(name)
            keys.by_file.setdefault(kind, {}).setdefault(PurePath(file).stem.lower(), name)
            shown = getattr(resource, "display_name", None)
            if isinstance(shown, str):
                keys.by_display.setdefault(kind, {}).setdefault(shown.strip().lower(), name)
        return keys

    def hint(self, kind: str, value: str) -> str | None:
        """`(did you mean 'inbound-thanks'? ...)` for a reference written `value`."""
        text = value.strip()
        stem = PurePath(text).stem.lower() if text.lower().endswith((".yaml", ".yml")) else None
        if stem is not None and (name := self.by_file.get(kind, {}).get(stem)):
            return (
                f"did you mean {name!r}? a reference names a {kind}'s metadata.name, not its file"
            )
        if name := self.by_display.get(kind, {}).get(text.lower()):
            return (
                f"did you mean {name!r}? a reference names a {kind}'s metadata.name, "
                "not its displayName"
            )
        if name := suggest(slugify(text), self.names.get(kind, ())):
            return f"did you mean {name!r}?"
        return None
