"""What a human should look at after an export, and what cannot be exported at all.

A sequence whose manifest would not validate (an email step without a template, a reference to
an object the account does not show, a date step without a date) is left out with a warning
rather than written broken: export only writes manifests that pass `seqops validate`.
"""

from __future__ import annotations

import datetime

from seqops.export.naming import FALLBACK_PREFIX, slugify
from seqops.export.references import References, step_templates
from seqops.manifest.models import SequenceSpec, Step
from seqops.providers.base import LiveObject

Unusable = dict[str, dict[int, str]]
"""kind -> id -> why no valid manifest can describe the object."""


def unusable(chosen: list[LiveObject], refs: References) -> Unusable:
    found: Unusable = {}
    for sequence in (o for o in chosen if o.kind == "Sequence"):
        reason = _sequence_problem(sequence, refs)
        if reason:
            found.setdefault("Sequence", {})[sequence.id] = reason
    return found


def _sequence_problem(sequence: LiveObject, refs: References) -> str | None:
    spec = sequence.sequence.spec
    if spec.ruleset and refs.ruleset_of(spec.ruleset) is None:
        return f"its ruleset {spec.ruleset!r} is not in the account"
    templates = step_templates(sequence, refs)
    problems = (
        _step_problem(order, step, template, spec, emailed=_emails_before(spec.steps, order))
        for order, (step, template) in enumerate(zip(spec.steps, templates, strict=True), 1)
    )
    return next((p for p in problems if p), None)


def _step_problem(
    order: int, step: Step, templates: list[LiveObject | None], spec: SequenceSpec, emailed: bool
) -> str | None:
    """Why no valid manifest can say what this live step is (or None)."""
    for name, template in zip(step.variants, templates, strict=True):
        if template is None:
            return f"step {order} sends template {name!r}, which is not in the account"
    if step.is_email and not templates:
        return f"step {order} is an {step.type} step without a template"
    if step.isReply and not (step.is_email and emailed):
        return f"step {order} is marked as a reply but no email step comes before it"
    if spec.sequenceType == "date":
        return _date_problem(order, spec)
    return None


def _date_problem(order: int, spec: SequenceSpec) -> str | None:
    day, before = spec.steps[order - 1].date, spec.steps[order - 2].date if order > 1 else None
    if day is None:
        return f"step {order} of this date sequence has no date"
    if before is not None and day < before:
        return f"step {order} is dated {day}, before step {order - 1} ({before})"
    return None


def _emails_before(steps: list[Step], order: int) -> bool:
    return any(s.is_email for s in steps[: order - 1])


def warnings(
    chosen: list[LiveObject], refs: References, skipped: Unusable, today: datetime.date
) -> list[str]:
    keys = {(o.kind, o.id) for o in chosen}
    return [
        *refs.naming.warnings_about(keys),
        *_skipped(chosen, refs, skipped),
        *_unnameable(chosen, refs),
        *_shared_templates(chosen, refs),
        *_past_dates(chosen, refs, skipped, today),
    ]


def _skipped(chosen: list[LiveObject], refs: References, skipped: Unusable) -> list[str]:
    return [
        f"{o.kind} {o.display_name!r} (id {o.id}) not exported: {skipped[o.kind][o.id]}; "
        "fix it in Outreach and export again, or write its manifest by hand"
        for o in _by_id(chosen)
        if o.id in skipped.get(o.kind, {})
    ]


def _unnameable(chosen: list[LiveObject], refs: References) -> list[str]:
    return [
        f"{o.kind} {o.display_name!r} (id {o.id}) has no letters or digits to name it by: "
        f"exported as {refs.naming.name(o)}; rename the file and metadata.name as you like"
        for o in _by_id(chosen)
        if o.owner is None and not slugify(o.display_name)
        and refs.naming.name(o).startswith(FALLBACK_PREFIX[o.kind])
    ]  # fmt: skip


def _shared_templates(chosen: list[LiveObject], refs: References) -> list[str]:
    shared = [t for t in _by_id(chosen) if t.kind == "Template" and len(refs.users[t.id]) > 1]
    return [
        f"template {refs.naming.name(t)} is sent by {len(refs.users[t.id])} sequences "
        f"({', '.join(refs.naming.name(s) for s in refs.users[t.id])}): "
        "a change to it changes all of them"
        for t in shared
    ]


def _past_dates(
    chosen: list[LiveObject], refs: References, skipped: Unusable, today: datetime.date
) -> list[str]:
    warned = []
    for seq in _by_id(chosen):
        if seq.kind != "Sequence" or seq.id in skipped.get("Sequence", {}):
            continue
        past = [s.date for s in seq.sequence.spec.steps if s.date and s.date < today]
        if past:
            warned.append(
                f"date sequence {refs.naming.name(seq)} has {len(past)} step(s) dated in the past "
                f"(earliest {min(past).isoformat()}): check the dates before enabling it again"
            )
    return warned


def _by_id(objects: list[LiveObject]) -> list[LiveObject]:
    return sorted(objects, key=lambda o: (o.kind, o.id))
