"""Run the rules over a loaded manifest set: hits -> located, configured, unsuppressed
findings, in file and line order."""

from __future__ import annotations

import datetime
import difflib
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from seqops.lint import suppress
from seqops.lint.context import Context
from seqops.lint.elsewhere import Elsewhere
from seqops.lint.finding import Finding, Severity
from seqops.lint.locate import Locator, value_at
from seqops.lint.registry import RULES
from seqops.lint.rule import Hit, Rule
from seqops.lint.rules.texts import SUBJECT
from seqops.lint.settings import LintSettings
from seqops.manifest.errors import ManifestError, Path, format_path
from seqops.manifest.loader import LoadResult
from seqops.manifest.models import Resource, Template

_BARE_WAIT = re.compile(r"""\bwait\s*:\s*["']?\s*[1-9][0-9]*\s*["']?\s*(?:[,}\]#\r\n]|$)""", re.M)
"""A file that may write a wait without a unit: only those are read where each wait stands."""
TEMPLATE_KINDS = ("Template", "Ruleset", "AutomationRule")
"""Kinds whose errors leave every sequence's references known (see `sequences_complete`)."""


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
        self._bare_waits: dict[str, bool] = {}
        self._inspected_all: bool | None = None

    def context(self) -> Context:
        """The manifest set as rules see it, with what the load knows about its sources."""
        errors = self.result.errors
        context = Context(
            self.result.resources,
            frozenset(self.settings.customFields),
            people=self.people,
            written=self.written,
            sequences_complete=not any(e.kind not in TEMPLATE_KINDS for e in errors),
            used_elsewhere=Elsewhere(self.result),
        )
        if self.today is not None:
            context.today = self.today
        return context

    def run(self, only: Callable[[Resource], bool] | None = None) -> list[Finding]:
        """Every finding; with `only`, those of the resources it accepts (plan: what changes,
        and the sequences that send a changed template)."""
        context = self.context()
        findings: list[Finding] = []
        for rule in RULES.values():
            if rule.plan_only or not self.settings.may_run(rule.id):
                continue
            hits = (h for h in self._hits(rule, context) if _sent(h, context))
            findings.extend(
                self.located(rule, (h for h in hits if only is None or only(h.resource)))
            )
        findings.extend(self._unknown_suppressions(only))
        return sort(_unique(findings), self._file_order())

    def written(self, resource: Resource, path: Path) -> str | None:
        """The scalar at `path` as written, for files that may hold a bare wait (others are
        never read again: finding a value's position parses its file a second time)."""
        file = self.result.location(resource)[0]
        if file not in self._bare_waits:
            self._bare_waits[file] = bool(_BARE_WAIT.search(self.locator.text_of(resource)))
        return self.locator.written(resource, path) if self._bare_waits[file] else None

    def _hits(self, rule: Rule, context: Context) -> Iterable[Hit]:
        """The rule's hits; a per-template rule's from the load when it ran there for every
        template (`seqops.lint.per_template`), in the order the rule would give them."""
        inspected = self.result.inspected
        templates = context.templates.values()
        if self._inspected_all is None:
            self._inspected_all = all(id(t) in inspected for t in templates)
        if not rule.per_template or not self._inspected_all:
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
                about=hit.about.key if hit.about is not None else None,
                fingerprint=fingerprint(rule.id, hit),
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


def _sent(hit: Hit, context: Context) -> bool:
    """False for a hit in the subject of a template whose subject is never sent (replies)."""
    resource = hit.resource
    return not (
        hit.path == SUBJECT
        and isinstance(resource, Template)
        and not context.subject_sent(resource)
    )


def fingerprint(rule_id: str, hit: Hit) -> str:
    """The same for the same problem whatever lines move around it or what the message says:
    the rule, the resource, the path and the offending text itself."""
    value = value_at(hit.resource, hit.path)
    text = ""
    if hit.span is not None and isinstance(value, str):
        text = value[hit.span[0] : hit.span[0] + hit.span[1]]
    about = "/".join(hit.about.key) if hit.about is not None else ""
    parts = (rule_id, *hit.resource.key, format_path(hit.path), text, about)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def input_errors(result: LoadResult) -> list[ManifestError]:
    """Errors about the paths given rather than any file's content: one that does not exist,
    cannot be read as a folder or file, or a set without a single seqops manifest."""
    return [e for e in result.errors if e.line is None and not _readable_file(e.file)]


def _readable_file(file: str) -> bool:
    return bool(file) and PurePath(file).suffix in (".yaml", ".yml") and os.path.isfile(file)


def reported(result: LoadResult, linter: Linter) -> list[Finding]:
    """What `seqops lint` reports: every rule's findings, and the validation errors no rule
    restates at the same place (one problem, one finding). Input errors are not findings
    (`input_errors`): a finding is somewhere in a file."""
    found = linter.run()
    errors = [e for e in result.errors if e not in input_errors(result)]
    return sort(invalid(e for e in errors if not _restated(e, found)) + found)


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
            line=e.line or 1,
            column=e.column or 1,
            kind=e.kind,
            name=e.name,
            fingerprint=hashlib.sha256(
                "\0".join(
                    ("manifest/invalid", e.kind or "", e.name or "", e.path, e.message)
                ).encode()
            ).hexdigest()[:32],
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
