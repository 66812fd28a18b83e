"""What the plan leaves alone in a managed sequence and says so: a step bound (through a
sequenceTemplate) to a template the account's template list does not show — one seqops cannot
read, so it cannot diff, name or unbind it. Leaving it alone silently would let a reviewer
believe the step sends only what the manifest lists."""

from __future__ import annotations

from seqops.providers.base import LiveObject


def unreadable_bindings(name: str, live: LiveObject) -> list[str]:
    """One warning per step and unreadable template of `live`, the manifest `name`'s sequence
    (steps numbered from 1, as everywhere a person reads them)."""
    return [
        f"Sequence/{name} ({live.display_name!r}) step {number}: template id {template_id} "
        "left alone: not a template seqops can read (the account's template list does not "
        "show it), so the step may send it besides the manifest's"
        for number, step in enumerate(live.steps, start=1)
        for template_id in step.unreadable_template_ids
    ]
