"""The templates as a reviewer knows them: for every template a change sends or touches, its
display name, subject line and body as the plan leaves them (the manifest's, else the live
one's). Saved in the plan (`Plan.templates`) so that `show` renders a saved plan with the same
words, offline, and the HTML review shows the emails a new sequence sends even when their
templates do not change."""

from __future__ import annotations

from collections.abc import Iterable

from seqops.manifest.models import Resource, Sequence, Template
from seqops.plan.changes import Change
from seqops.providers.base import LiveState


def templates(changes: Iterable[Change], resources: list[Resource], state: LiveState) -> dict:
    """Template key -> {displayName, subject, bodyHtml} for the templates `changes` mention."""
    wanted = {k for c in changes for k in _mentioned(c)}
    manifests = {r.name: r for r in resources if isinstance(r, Template)}
    found = {}
    for key in sorted(wanted):
        template = manifests.get(key) or _live(state, key)
        if template is not None:
            found[key] = {
                "displayName": template.display_name,
                "subject": template.spec.subject,
                "bodyHtml": template.spec.bodyHtml,
            }
    return found


def _mentioned(change: Change) -> set[str]:
    if change.kind == "Template":
        return {change.name}
    sequences = [change.desired, change.existing.resource if change.existing else None]
    return {
        name
        for s in sequences
        if isinstance(s, Sequence)
        for step in s.spec.steps
        for name in step.variants
    }


def _live(state: LiveState, key: str) -> Template | None:
    owned = state.owned("Template", key)
    found = [owned] if owned else [o for o in state.of_kind("Template") if o.resource.name == key]
    resource = found[0].resource if found else None
    return resource if isinstance(resource, Template) else None
