"""Lint inside `plan`: the resources a plan changes are linted, each finding is attached to the
change it concerns (`change.lint`, saved in the plan file), and apply refuses a plan with lint
errors unless `seqops.yaml` says `lint: {blockApply: false}`.

In scope: every resource the plan creates, updates, adopts, replaces or enables, and the
sequences that send a changed template (an opt-out missing from a changed body is reported on
the step that sends it, under the template's change). A finding goes under the change of the
resource it is about (`Finding.about`, else the resource it is in) or nowhere: a sequence
linted only because it sends a changed template contributes nothing of its own (its cadence,
its ruleset), and `--select` adds nothing about what it left out.
`hygiene/template-changed-active` is found here only: it needs the plan's live impact.
"""

from __future__ import annotations

from seqops.lint.context import step_templates
from seqops.lint.engine import Linter
from seqops.lint.finding import Finding, Severity
from seqops.lint.registry import RULES
from seqops.lint.rule import Hit
from seqops.lint.settings import LintSettings
from seqops.manifest.errors import Path
from seqops.manifest.loader import LoadResult
from seqops.manifest.models import Resource, Sequence, Template
from seqops.plan.changes import Change
from seqops.plan.errors import PlanError
from seqops.plan.plan import Plan

LINTED = {"create", "update", "adopt", "replace", "enable"}
TEXT_FIELDS = {"subject": ("spec", "subject"), "bodyHtml": ("spec", "bodyHtml")}


class LintBlocked(PlanError):
    """Apply refused: the plan carries lint errors."""


def attach(plan: Plan, result: LoadResult, settings: LintSettings) -> None:
    """Lint what `plan` changes and add each finding to its change's `lint` list."""
    changes = {(c.kind, c.name): c for c in plan.changes if c.action in LINTED}
    if not changes:
        return
    resources = {r.key: r for r in result.resources}
    scope = set(changes) | _senders(result.resources, changes)
    linter = Linter(result, settings)
    findings = linter.run(only=lambda r: r.key in scope)
    findings += _changed_while_active(linter, changes, resources)
    for finding in findings:
        change = changes.get(finding.about or (finding.kind or "", finding.name or ""))
        if change is not None and finding.to_dict() not in change.lint:
            change.lint.append(finding.to_dict())


def _senders(resources: list[Resource], changes: dict[tuple[str, str], Change]) -> set:
    """The keys of the sequences that send a changed template."""
    found: set[tuple[str, str]] = set()
    for resource in resources:
        if not isinstance(resource, Sequence) or resource.absent:
            continue
        for index, step in enumerate(resource.spec.steps):
            if any(("Template", name) in changes for name, _ in step_templates(step, index)):
                found.add(resource.key)
    return found


def _changed_while_active(
    linter: Linter, changes: dict[tuple[str, str], Change], resources: dict
) -> list[Finding]:
    rule = RULES["hygiene/template-changed-active"]
    hits = []
    for (kind, name), change in changes.items():
        resource = resources.get((kind, name))
        active = change.impact.active if change.impact is not None else 0
        if resource is None or not active or change.action not in ("update", "adopt"):
            continue
        path = _changed_text(change, resource)
        if path is None:
            continue
        what = (
            f"template {name!r} changes" if kind == "Template" else "an email step changes template"
        )
        message = f"{what} while {active} active prospects are in sequences that send it"
        hits.append(Hit(resource, path, message))
    return list(linter.located(rule, hits))


def _changed_text(change: Change, resource: Resource) -> Path | None:
    """Where the email text changes: a template's subject or body, a step's template."""
    for diff in change.diff:
        if isinstance(resource, Template) and diff.path in TEXT_FIELDS:
            return TEXT_FIELDS[diff.path]
        if (
            isinstance(resource, Sequence)
            and diff.path.startswith("steps")
            and "template" in diff.path
        ):
            return ("spec", "steps")
    return None


def errors(plan: Plan) -> list[dict]:
    return [f for c in plan.changes for f in c.lint if f.get("severity") == Severity.error.value]


def refuse_errors(plan: Plan) -> None:
    """Raise `LintBlocked` naming the first errors when the plan carries any."""
    found = errors(plan)
    if not found:
        return
    shown = "; ".join(_line(f) for f in found[:3]) + ("; ..." if len(found) > 3 else "")
    raise LintBlocked(
        f"refusing to apply: {len(found)} lint error{'s' if len(found) != 1 else ''} in the plan "
        f"({shown}). Fix them, silence them (docs/lint.md), or set lint: {{blockApply: false}} "
        "in seqops.yaml"
    )


def _line(finding: dict) -> str:
    where = f"{finding['file']}:{finding['line']}:{finding['column']}"
    return f"{where}: {finding['rule']} {finding['severity']}: {finding['message']}"


def lines(change: Change) -> list[str]:
    """The change's findings as `FILE:LINE:COL: RULE-ID severity: message` lines."""
    return [_line(f) for f in change.lint]
