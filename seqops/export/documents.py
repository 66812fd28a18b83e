"""A live object as the manifest a person would write: plain data in manifest key order.

Server identity goes, defaults go, durations become `2d`, references use export names.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from seqops.export.defaults import SPEC_DEFAULTS, STEP_DEFAULTS
from seqops.manifest.durations import duration_fields, format_duration
from seqops.manifest.models import API_VERSION, Step
from seqops.plan.versions import base_name
from seqops.providers.base import LiveObject

Document = dict[str, Any]
TASK_STEP_TYPES = ("call", "task")


def human_duration(seconds: int) -> int | str:
    """`2d`, `90m`; zero stays the number 0."""
    return format_duration(seconds) if seconds else 0


def envelope(kind: str, name: str, pinned_id: int | None, spec: Document) -> Document:
    metadata: Document = {"name": name}
    if pinned_id is not None:
        metadata["id"] = pinned_id
    return {"apiVersion": API_VERSION, "kind": kind, "metadata": metadata, "spec": spec}


def spec_document(kind: str, spec: BaseModel, display_name: str) -> Document:
    """The spec without defaults, displayName first and always given (see `display_name`)."""
    data = _strip(spec, SPEC_DEFAULTS[kind])
    data.pop("steps", None)
    # Leftovers the API ignores and validation rejects; left out, they are simply not managed.
    for reply in ("primary", "secondary"):
        if data.get(f"{reply}ReplyAction") != "pause":
            data.pop(f"{reply}ReplyPauseDuration", None)
    if kind == "Sequence" and data.get("sequenceType") != "date":
        data.pop("maxActivations", None)
    return {"displayName": display_name, **{k: v for k, v in data.items() if k != "displayName"}}


def display_name(obj: LiveObject) -> str:
    """The live name, but `Demo` for an owned `Demo (v2)`: the planner reads a live `(vN)` as
    the manifest's name after a replace, so the export says what the manifest said."""
    if obj.kind == "Sequence" and obj.owner is not None:
        return base_name(obj.display_name)
    return obj.display_name


def step_document(step: Step, templates: list[str], interval: bool) -> Document:
    """`template: NAME` for an email step that sends one, `templates: [...]` (sorted) for one
    with A/B variants."""
    data = _strip(step, STEP_DEFAULTS)
    data.pop("template", None)
    data.pop("templates", None)
    data.pop("date" if interval else "wait", None)  # the other one is invalid for this type
    if step.type not in TASK_STEP_TYPES:
        data.pop("priority", None)  # a task priority on an email step is a leftover
    if interval:
        data["wait"] = human_duration(step.wait or 0)
    ordered: Document = {k: data[k] for k in ("type", "wait", "date") if k in data}
    if step.is_email and len(templates) == 1:
        ordered["template"] = templates[0]
    elif step.is_email and templates:
        ordered["templates"] = sorted(templates)
    return {**ordered, **{k: v for k, v in data.items() if k not in ordered}}


def _strip(model: BaseModel, defaults: dict[str, Any]) -> Document:
    """Set fields that differ from the model's and the API's defaults, in model order."""
    data = model.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    durations = duration_fields(type(model))
    return {
        key: human_duration(value) if key in durations else value
        for key, value in data.items()
        if key not in defaults or value != defaults[key]
    }
