"""Update an existing manifest in place from its exported form: only what differs is rewritten.

Fields are compared by meaning, through the manifest models (`2d` is `48h`, tags are a set, a
step's templates are a set of variants, a field left out equals the API's default), and only
a field whose meaning differs is written, in place, on the round-trip node: comments, key
order, `metadata` (labels included) and every other field stay as the person wrote them. A
field a seqops.yaml override sets for this target is never written: the live value is the
override's, and baking it into the base manifest would leak it into every other target.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap

from seqops.export.defaults import SPEC_DEFAULTS, STEP_DEFAULTS
from seqops.export.existing import Existing, plain
from seqops.manifest.dump import _styled
from seqops.manifest.models import Sequence, Step
from seqops.plan.versions import same_display_name
from seqops.providers.base import LiveResource, live_resource_adapter

TEMPLATE_KEYS = ("template", "templates")
STEP_MANAGED = {**STEP_DEFAULTS, "wait": 0}
"""Step fields managed even when a manifest leaves them out, with the value that means."""


def update_node(existing: Existing, exported: dict[str, Any]) -> bool:
    """Rewrite the fields of `existing.node` whose meaning differs from `exported` (plain
    manifest data of the same object); whether anything changed."""
    new = live_resource_adapter.validate_python(exported)
    spec = existing.node.get("spec")
    if not isinstance(spec, dict):
        return False
    overridden = _overridden(existing.resource, existing.overlaid)
    changed = False
    for key in _managed(spec, new.spec):
        if key in overridden:
            continue
        if key == "steps" and isinstance(new, Sequence):
            changed |= _update_steps(spec, exported["spec"].get("steps") or [], new)
        else:
            changed |= _update_field(spec, key, exported["spec"], existing.resource, new)
    return changed


def _managed(node: dict, spec: BaseModel) -> list[str]:
    """The fields the manifest manages: those it gives, `displayName` (its default is
    metadata.name) and those whose default is a value (`steps`, `sequenceType`). A field it
    leaves out stays out: seqops does not manage it, and export does not start to."""
    valued = [
        k
        for k, f in type(spec).model_fields.items()
        if f.get_default(call_default_factory=True) is not None
    ]
    return [*node, *(k for k in ("displayName", *valued) if k not in node)]


def _overridden(base: LiveResource, overlaid: LiveResource) -> set[str]:
    """The spec fields the target's overrides change."""
    before = base.spec.model_dump(mode="json")
    after = overlaid.spec.model_dump(mode="json")
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def _update_field(
    spec: dict, key: str, exported: dict, base: LiveResource, new: LiveResource
) -> bool:
    if _same(base, new, key):
        return False
    if key in exported:
        spec[key] = _styled(exported[key])
    elif key in spec:
        del spec[key]
    else:
        return False
    return True


def _same(base: LiveResource, new: LiveResource, key: str) -> bool:
    if key == "displayName":
        want, have = base.display_name, new.display_name
        return same_display_name(want, have) if base.kind == "Sequence" else want == have
    defaults = SPEC_DEFAULTS.get(base.kind, {})
    return _value(base.spec, key, defaults) == _value(new.spec, key, defaults)


def _value(model: BaseModel, key: str, defaults: dict[str, Any]) -> Any:
    """The field's meaning: unset is the API's default, tags and lists of names a set."""
    value = getattr(model, key, None)
    if value is None:
        value = defaults.get(key)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if key == "tags" and value is not None:
        return sorted(set(value))
    return value


# --- steps ------------------------------------------------------------------------------------


def _update_steps(spec: dict, exported: list[dict], new: Sequence) -> bool:
    """Steps at the same position are updated field by field; steps the account has beyond
    the manifest's are appended, and the manifest's beyond the account's removed."""
    nodes = spec.get("steps")
    if not isinstance(nodes, list):
        spec["steps"] = _styled(exported)
        return bool(exported)
    changed = False
    steps = new.spec.steps
    for i, (node, data) in enumerate(zip(nodes, exported, strict=False)):
        if isinstance(node, CommentedMap):
            changed |= _update_step(node, data, steps[i])
    for data in exported[len(nodes) :]:
        nodes.append(_styled(data))
        changed = True
    while len(nodes) > len(exported):
        nodes.pop()
        changed = True
    return changed


def _update_step(node: CommentedMap, data: dict, new: Step) -> bool:
    try:
        base = Step.model_validate(plain(node))
    except ValueError:
        return False
    changed = _update_templates(node, data, base, new)
    for key in [*node, *(k for k in STEP_MANAGED if k not in node)]:
        if key in TEMPLATE_KEYS or _value(base, key, STEP_MANAGED) == _value(
            new, key, STEP_MANAGED
        ):
            continue
        if key in data:
            node[key] = _styled(data[key])
        elif key in node:
            del node[key]
        changed = True
    return changed


def _update_templates(node: CommentedMap, data: dict, base: Step, new: Step) -> bool:
    """`template` or `templates`, whichever the export writes, where the manifest had its own."""
    if base.variants == new.variants:
        return False
    keys = list(node)
    at = min((keys.index(k) for k in TEMPLATE_KEYS if k in node), default=len(keys))
    for key in TEMPLATE_KEYS:
        node.pop(key, None)
    for key in TEMPLATE_KEYS:
        if key in data:
            node.insert(at, key, _styled(data[key]))
    return True
