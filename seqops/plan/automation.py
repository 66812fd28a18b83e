"""Plans of a Coefficy target: the AutomationRule audit as changes (DESIGN §6).

Coefficy's documented API is read-only. Against a `provider: coefficy` target, `plan` reads the
running actions of every rule's sequence in one request and reports each drifted rule as an
`update` of kind AutomationRule (live → manifest, field by field), so `--detailed-exitcode`
exits 2 on drift; `apply` shows the same plan and writes nothing (see `seqops.cli.apply`).
Other kinds are Outreach's: they are skipped here, in one line. Against an Outreach target,
AutomationRules are skipped the same way (`outreach_note`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeGuard

from seqops.manifest.models import AutomationRule, Resource
from seqops.plan.changes import Change, RuleDrift
from seqops.plan.diff import FieldDiff
from seqops.plan.plan import Plan
from seqops.providers.coefficy.audit import RuleAudit, read_and_audit
from seqops.providers.coefficy.provider import READ_ONLY_MESSAGE, CoefficyProvider

KIND = "AutomationRule"
OUTREACH_KINDS = "Sequence/Template/Ruleset"
COEFFICY = "a `provider: coefficy` target"
OUTREACH = "an Outreach target"
ABSENT = "state: absent retires nothing on Coefficy (its API is read-only): skipped"
SHOWN_IDS = 10


def is_coefficy(provider: object) -> TypeGuard[CoefficyProvider]:
    return isinstance(provider, CoefficyProvider)


async def audit_plan(
    resources: list[Resource], provider: CoefficyProvider, target: str, description: str = ""
) -> Plan:
    """One request for all the rules' sequences; a change per drifted rule."""
    rules = [r for r in resources if isinstance(r, AutomationRule)]
    present = [r for r in rules if not r.absent]
    audits = await read_and_audit(present, provider)
    warnings = skipped_note(len(resources) - len(rules), OUTREACH_KINDS, COEFFICY, OUTREACH)
    warnings += [f"{KIND}/{r.name}: {ABSENT}" for r in rules if r.absent]
    if not rules:
        warnings.append("no AutomationRule manifests: nothing to audit on this Coefficy target")
    changes: list[Change] = []
    for rule, audit in zip(present, audits, strict=True):
        if audit.drifted:
            changes.append(drift_change(rule, audit))
        else:
            warnings += [f"{KIND}/{rule.name}: {w}" for w in audit.warnings]
    return Plan(
        target=target,
        changes=changes,
        target_description=description or provider.description,
        warnings=warnings,
    )


def drift_change(rule: AutomationRule, audit: RuleAudit) -> RuleDrift:
    drifted = audit.action_ids
    shown = ", ".join(map(str, drifted[:SHOWN_IDS])) + (", …" if len(drifted) > SHOWN_IDS else "")
    return RuleDrift(
        kind=KIND,
        name=rule.name,
        desired=rule,
        sequence_id=audit.sequence_id,
        actions_checked=audit.actions_checked,
        drift=audit.diff(),
        diff=[FieldDiff(g.path, g.live_value, g.manifest_value) for g in audit.groups],
        reason=f"live actions of Coefficy sequence {audit.sequence_id} differ from the manifest",
        warnings=[
            f"{len(drifted)} of {audit.actions_checked} running actions differ "
            f"(idSequenceAction {shown})",
            READ_ONLY_MESSAGE,
        ],
    )


def outreach_note(resources: Sequence[Resource]) -> list[str]:
    """The one line an Outreach plan says about the AutomationRules it skips."""
    count = sum(isinstance(r, AutomationRule) for r in resources)
    return skipped_note(count, KIND, OUTREACH, COEFFICY)


def skipped_note(count: int, kinds: str, here: str, there: str) -> list[str]:
    if not count:
        return []
    return [
        f"{count} {kinds} manifest(s) skipped: {here} does not hold them (plan them against {there})"
    ]
