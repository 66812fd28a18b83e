"""Hygiene rules: what is defined but not used, or used without the usual safety net."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from seqops.lint.context import Context
from seqops.lint.finding import Severity
from seqops.lint.rule import Hit, Rule

NAME = ("metadata", "name")


class UnusedTemplate(Rule):
    """A template that no sequence in the manifest set sends.

    Either a step lost its reference (a typo in a rename) or the template is dead weight.
    Templates kept for one-off replies say so with the label `seqops/use: snippet`
    (`metadata: {name: pricing-answer, labels: {seqops/use: snippet}}`) and are not
    reported. Nothing is reported while a sequence document is invalid (its references are
    not all known), nor for a template that manifests outside a partial lint
    (`seqops lint templates/`) name: those may well send it."""

    id = "hygiene/unused-template"
    severity = Severity.warning

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        if not context.sequences_complete:
            return
        for name, template in context.templates.items():
            if name in context.uses or context.is_snippet(template):
                continue
            if not context.used_elsewhere(name):
                yield Hit(template, NAME, f"template {name!r} is not used by any sequence")


class NoRuleset(Rule):
    """A sequence with no `ruleset`.

    Without one, Outreach applies no exclusivity, no duplicate-prospect policy, no unsubscribe
    links and no out-of-office handling: the account defaults, whatever they are today."""

    id = "hygiene/no-ruleset"
    severity = Severity.warning

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for sequence in context.sequences:
            if not sequence.spec.ruleset:
                yield Hit(sequence, NAME, f"sequence {sequence.name!r} has no ruleset")


class TemplateChangedWhileActive(Rule):
    """An email that changes while prospects are in the sequence that sends it (plan only).

    Prospects already past that step got the old text, the others will get the new one: a
    change of subject or body mid-flight splits one cohort in two. Reported by `seqops plan`
    (it needs the live count of active prospects), on each changed template or step binding
    whose sequences have active prospects."""

    id = "hygiene/template-changed-active"
    severity = Severity.warning
    plan_only = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        return iter(())  # `seqops.lint.inplan` reports it from the plan's impact


RULES = (UnusedTemplate, NoRuleset, TemplateChangedWhileActive)
