"""The inventory: what the account uses that manifests cannot express, or that a first apply
would change — objects the token may not write, A/B variants, display-name twins, untagged
objects that would be adopted, and sequences of several owners."""

from __future__ import annotations

from collections import Counter
from typing import Any

from seqops.doctor import shapes
from seqops.doctor.access import WRITTEN
from seqops.doctor.findings import Report
from seqops.manifest.models import Sequence
from seqops.providers.base import LiveState, ProviderError
from seqops.providers.outreach import assemble
from seqops.providers.outreach.records import SHAPES


def inventory(listed: dict[str, list[dict[str, Any]]], report: Report) -> None:
    not_writable = [
        shapes.describe(r)
        for c in WRITTEN
        for r in listed.get(c, [])
        if isinstance(r, dict) and (r.get("meta") or {}).get("canWrite") is False
    ]
    if not_writable:
        report.add(
            "permissions",
            "blocking",
            "objects this token may not change (authorization meta canWrite: false)",
            not_writable,
        )
    state = live_state(listed, report)
    if state is None:
        return
    variants(state, report)
    twins(state, report)
    adoption(state, report)
    owners(listed, state, report)


def live_state(listed: dict[str, list[dict[str, Any]]], report: Report) -> LiveState | None:
    """The account as `plan` would read it (steps of unknown types left out: reported above)."""
    records = {}
    try:
        for collection, resources in listed.items():
            shape = assemble.LISTED[collection]
            usable = [r for r in resources if isinstance(r, dict) and shapes.is_id(r.get("id"))]
            if collection == "sequenceSteps":
                usable = [r for r in usable if not shapes.unknown_step_type(r)]
            records[collection] = [shape.record(r) for r in usable]
        return assemble.live_state(records)
    except (ProviderError, ValueError, TypeError, KeyError) as exc:
        report.add("read", "blocking", f"seqops cannot read this account: {exc}")
        return None


def variants(state: LiveState, report: Report) -> None:
    found = [
        f"{live.display_name!r} (id {live.id}) step {i}: {', '.join(step.templates)}"
        for live in state.of_kind("Sequence")
        if isinstance(live.resource, Sequence)
        for i, step in enumerate(live.resource.spec.steps, 1)
        if step.templates and len(step.templates) > 1
    ]
    if found:
        report.add(
            "variants",
            "info",
            f"{len(found)} email step(s) send A/B variants: modelled as `templates: [...]`, export writes them and apply keeps them",
            found,
        )


def twins(state: LiveState, report: Report) -> None:
    for kind in ("Sequence", "Template", "Ruleset"):
        names = Counter(o.display_name for o in state.of_kind(kind))
        for name, n in sorted(names.items()):
            if n > 1:
                ids = ", ".join(str(o.id) for o in state.by_display_name(kind, name))
                message = (
                    f"{n} {kind.lower()}s are named {name!r} (ids {ids}), a duplicate display "
                    "name: adoption by name cannot choose; export pins each with metadata.id"
                )
                report.add("ambiguous names", "warning", message)


def adoption(state: LiveState, report: Report) -> None:
    for kind in ("Sequence", "Template"):
        untagged = [o for o in state.of_kind(kind) if o.owner is None]
        if untagged:
            items = [f"{o.display_name!r} (id {o.id})" for o in untagged]
            report.add(
                "adoption",
                "info",
                f"{len(untagged)} {kind.lower()}(s) without a seqops tag: after export, the first apply adopts them (adds the tag, changes nothing else)",
                items,
            )
    rulesets = state.of_kind("Ruleset")
    if rulesets:
        report.add(
            "adoption",
            "info",
            f"{len(rulesets)} ruleset(s): rulesets carry no tags and are matched by name",
        )


def owners(listed: dict[str, list[dict[str, Any]]], state: LiveState, report: Report) -> None:
    """Who owns the sequences a first apply would adopt (the owned ones are already managed)."""
    emails = {v: k for k, v in state.users.items()}
    untagged = {o.id for o in state.of_kind("Sequence") if o.owner is None}
    by_owner: Counter[str] = Counter()
    for resource in listed.get("sequences", []):
        readable = isinstance(resource, dict) and shapes.is_id(resource.get("id"))
        if readable and int(resource["id"]) in untagged:
            owner = SHAPES["sequence"].record(resource).related("owner")
            by_owner[emails.get(owner, "no owner") if owner is not None else "no owner"] += 1
    if len(by_owner) > 1:
        items = [f"{email}: {n} sequence(s)" for email, n in sorted(by_owner.items())]
        message = (
            f"the untagged sequences belong to {len(by_owner)} users: adopting them, seqops "
            "changes other people's sequences with this token; agree who owns what first"
        )
        report.add("owners", "warning", message, items)
