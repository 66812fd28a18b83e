"""Field-level diffs in manifest terms, over the fields a manifest manages.

A field is managed when the manifest gives it a value (`None` means "not managed": seqops never
diffs or writes it). `displayName` is always managed (it defaults to metadata.name); `tags` are
compared as a set; `enabled` is not a field diff but an enable/disable change; `onReplace`
is seqops' own setting, never sent; `steps` are
diffed one step at a time by `seqops.plan.steps`. Values are compared in their normalised form
(durations in seconds, dates ISO) and shown the way a manifest writes them (`2d`, not 172800).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from seqops.manifest.durations import duration_fields, format_duration
from seqops.manifest.models import Resource
from seqops.plan.versions import same_display_name

NOT_FIELD_DIFFS = {"steps", "enabled", "onReplace"}
_BARE = re.compile(r"^[A-Za-z0-9_.@:/+-]{1,80}$")


@dataclass(frozen=True)
class FieldDiff:
    """One managed field that differs: `path` in manifest terms (`steps[2].wait`).

    A step entry also carries its alignment (`seqops.plan.alignment`): `op` (removed,
    inserted, moved or changed) and the step's 0-based index in the live (`old_index`) and
    desired (`new_index`) lists; its JSON adds the 1-based `old_step`/`new_step` people read."""

    path: str
    old: Any
    new: Any
    op: str | None = None
    old_index: int | None = None
    new_index: int | None = None

    def to_json(self) -> dict:
        data = {"path": self.path, "old": self.old, "new": self.new}
        if self.op is None:
            return data
        return {
            **data,
            "op": self.op,
            "old_index": self.old_index,
            "new_index": self.new_index,
            "old_step": None if self.old_index is None else self.old_index + 1,
            "new_step": None if self.new_index is None else self.new_index + 1,
        }

    @classmethod
    def from_json(cls, data: dict) -> FieldDiff:
        return cls(
            data["path"],
            data.get("old"),
            data.get("new"),
            data.get("op"),
            data.get("old_index"),
            data.get("new_index"),
        )

    def __str__(self) -> str:
        text = f"{self.path}: {show(self.old)} → {show(self.new)}"
        if self.path.endswith(".templates"):
            text += f" (variants: {variants_change(self.old, self.new)})"
        return text


def variants_change(old: Any, new: Any) -> str:
    """A step's A/B variants added and removed: `+intro-b -intro-c` (`kept` when only a
    duplicate binding goes)."""
    before, after = _names(old), _names(new)
    marks = [f"+{n}" for n in sorted(set(after) - set(before))]
    marks += [f"-{n}" for n in sorted(set(before) - set(after))]
    return " ".join(marks) or "kept"


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def show(value: Any) -> str:
    """A value as a reviewer reads it, the way YAML would: bare words (`2d`, `auto_email`)
    unquoted, other strings quoted and cut at 80 characters, lists comma-separated, mappings
    in flow style, booleans `true`/`false`, absence spelt out."""
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and value:
        return ", ".join(_flow(v) for v in value)
    if isinstance(value, dict):
        return _flow(value)
    if isinstance(value, str):
        if _BARE.match(value):
            return value
        return repr(value) if len(value) <= 80 else repr(value[:77] + "...")
    return str(value)


def _flow(value: Any) -> str:
    """A nested value in YAML flow style: `{title: Meeting, deadline: 30}`, `[a, b]`."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return show(value)


def display(model: type[BaseModel], field: str, value: Any) -> Any:
    """`value` as a manifest writes it: durations in their largest exact unit."""
    if isinstance(value, int) and not isinstance(value, bool) and field in duration_fields(model):
        return format_duration(value)
    return value


def spec_of(resource: Resource) -> BaseModel:
    """A manifest's spec (every kind has one; the base model does not declare it)."""
    spec = getattr(resource, "spec", None)
    if not isinstance(spec, BaseModel):
        raise TypeError(f"{resource.kind}/{resource.name} has no spec")
    return spec


def display_name(resource: Resource) -> str:
    return str(getattr(resource, "display_name", resource.name))


def essence(resource: Resource) -> dict[str, Any]:
    """The managed fields of a resource, normalised (JSON values, tags sorted)."""
    data = spec_of(resource).model_dump(mode="json", exclude_none=True, exclude=NOT_FIELD_DIFFS)
    data = {"displayName": display_name(resource), **data}
    if "tags" in data:
        data["tags"] = sorted(set(data["tags"]))
    return data


def attribute_diff(desired: Resource, live: Resource | None) -> list[FieldDiff]:
    """The managed attributes of `desired` that `live` lacks or holds differently."""
    want = essence(desired)
    have = _live_values(live, want)
    spec_model = type(spec_of(desired))
    return [
        FieldDiff(key, display(spec_model, key, have.get(key)), display(spec_model, key, value))
        for key, value in want.items()
        if not _same(desired.kind, key, value, have.get(key))
    ]


def _live_values(live: Resource | None, want: dict[str, Any]) -> dict[str, Any]:
    if live is None:
        return {}
    data = spec_of(live).model_dump(mode="json", include=set(want) - {"displayName"})
    data["displayName"] = display_name(live)
    if data.get("tags") is not None:
        data["tags"] = sorted(set(data["tags"]))
    return data


def _same(kind: str, key: str, want: Any, have: Any) -> bool:
    if key == "displayName" and kind == "Sequence" and isinstance(have, str):
        return same_display_name(want, have)
    if key == "tags" and have is None:
        return want == []
    return want == have
