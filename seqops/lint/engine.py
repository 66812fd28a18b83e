"""Run the rules over a loaded manifest set: hits -> located, configured, unsuppressed
findings, in file and line order."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from seqops.lint import suppress
from seqops.lint.context import Context
from seqops.lint.finding import Finding, Severity
from seqops.lint.locate import Locator
from seqops.lint.registry import RULES
from seqops.lint.rule import Hit, Rule
from seqops.lint.settings import LintSettings
from seqops.manifest.errors import ManifestError
from seqops.manifest.loader import LoadResult
from seqops.manifest.models import Resource


@dataclass
class Linter:
    result: LoadResult
    settings: LintSettings = field(default_factory=LintSettings)
    today: datetime.date | None = None
    people: list | None = None
    """Prospects of a target, for the rules that read them (`lint --target`)."""

    def __post_init__(self) -> None:
        self.locator = Locator(self.result)
        self._suppressions: dict[str, suppress.Suppressions] = {}

    def run(self, only: Callable[[Resource], bool] | None = None) -> list[Finding]:
        """Every finding; with `only`, those of the resources it accepts (plan: what changes)."""
        context = Context(
            self.result.resources, frozenset(self.settings.customFields), people=self.people
        )
        if self.today is not None:
            context.today = self.today
        findings: list[Finding] = []
        for rule in RULES.values():
            if rule.plan_only or not self.settings.may_run(rule.id):
                continue
            hits = self._hits(rule, context)
            findings.extend(
                self.located(rule, (h for h in hits if only is None or only(h.resource)))
            )
        findings.extend(self._unknown_suppressions(only))
        return sort(_unique(findings), self._file_order())

    def _hits(self, rule: Rule, context: Context) -> Iterable[Hit]:
        """The rule's hits; a per-template rule's from the load when it ran there for every
        template (`seqops.lint.per_template`), in the order the rule would give them."""
        inspected = self.result.inspected
        templates = context.templates.values()
        if not rule.per_template or not all(id(t) in inspected for t in templates):
            return rule.check(context, self.settings.params(rule.id))
        return (
            hit.on(template)
            for template in templates
            for hit in inspected[id(template)]
            if hit.rule == rule.id
        )

    def located(self, rule: Rule, hits: Iterable[Hit]) -> Iterable[Finding]:
        for hit in hits:
            place = self.locator.place(hit)
            severity = self.settings.severity(rule.id, place.file)
            if severity is None:
                continue
            if self.suppressions(hit.resource, place.file).covers(
                rule.id, place.line, place.key_line
            ):
                continue
            yield Finding(
                rule=rule.id,
                severity=severity,
                message=hit.message,
                file=place.file,
                line=place.line,
                column=place.column,
                end_line=place.end_line,
                end_column=place.end_column,
                kind=hit.resource.kind,
                name=hit.resource.name,
            )

    def suppressions(self, resource: Resource, file: str) -> suppress.Suppressions:
        if file not in self._suppressions:
            text = self.locator.text_of(resource)
            lines = self.locator.lines_of(resource) if suppress.MARK in text else []
            self._suppressions[file] = suppress.read(lines)
        return self._suppressions[file]

    def _unknown_suppressions(self, only: Callable[[Resource], bool] | None) -> list[Finding]:
        seen: dict[str, Resource] = {}
        for resource in self.result.resources:
            if only is None or only(resource):
                seen.setdefault(self.result.location(resource)[0], resource)
        rule_id = "lint/unknown-rule"
        found = []
        for file, resource in seen.items():
            severity = self.settings.severity(rule_id, file)
            if severity is None:
                continue
            for directive, name in suppress.unknown(self.suppressions(resource, file), set(RULES)):
                close = difflib.get_close_matches(name, list(RULES), n=1, cutoff=0.6)
                hint = f": did you mean {close[0]!r}?" if close else ""
                found.append(
                    Finding(
                        rule=rule_id,
                        severity=severity,
                        message=f"seqops-lint comment names unknown rule {name!r}{hint}",
                        file=file,
                        line=directive.line,
                        column=directive.column,
                    )
                )
        return found

    def _file_order(self) -> dict[str, int]:
        order: dict[str, int] = {}
        for resource in self.result.resources:
            order.setdefault(self.result.location(resource)[0], len(order))
        return order


def reported(result: LoadResult, linter: Linter) -> list[Finding]:
    """What `seqops lint` reports: every rule's findings, and the validation errors no rule
    restates at the same place (one problem, one finding)."""
    found = linter.run()
    return sort(invalid(e for e in result.errors if not _restated(e, found)) + found)


def _restated(error: ManifestError, findings: list[Finding]) -> bool:
    return any(
        f.file == error.file
        and f.line == error.line
        and any(part in error.message for part in RULES[f.rule].restates)
        for f in findings
        if f.rule in RULES
    )


def invalid(errors: Iterable[ManifestError]) -> list[Finding]:
    """Validation errors as findings of `manifest/invalid`."""
    return [
        Finding(
            rule="manifest/invalid",
            severity=Severity.error,
            message=f"{e.path}: {e.message}" if e.path else e.message,
            file=e.file,
            line=e.line,
            column=e.column,
            kind=e.kind,
            name=e.name,
        )
        for e in errors
    ]


def sort(findings: list[Finding], order: dict[str, int] | None = None) -> list[Finding]:
    order = order or {}
    return sorted(
        findings, key=lambda f: (order.get(f.file, len(order)), f.file, f.line, f.column, f.rule)
    )


def _unique(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for finding in findings:
        key = (finding.rule, finding.file, finding.line, finding.column, finding.message)
        if key not in seen:
            seen.add(key)
            out.append(finding)
    return out
