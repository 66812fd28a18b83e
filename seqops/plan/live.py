"""Narrowing a live object to what a plan needs of it, once (a sequence's spec, its state)."""

from __future__ import annotations

from seqops.manifest.models import Sequence, SequenceSpec
from seqops.providers.base import LiveObject


def sequence_of(live: LiveObject) -> Sequence:
    """The live sequence (a `LiveObject` holds any kind of resource)."""
    if not isinstance(live.resource, Sequence):
        raise TypeError(f"{live.kind} id {live.id} is not a sequence")
    return live.resource


def spec_of(live: LiveObject) -> SequenceSpec:
    return sequence_of(live).spec


def is_enabled(live: LiveObject | None) -> bool:
    """A live sequence that is enabled (a template or ruleset never is)."""
    return (
        live is not None
        and isinstance(live.resource, Sequence)
        and bool(live.resource.spec.enabled)
    )
