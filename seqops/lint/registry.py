"""Every lint rule by its stable id, in the order `docs/lint.md` and SARIF list them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from seqops.lint.context import Context
from seqops.lint.finding import Severity
from seqops.lint.rule import Hit, Rule
from seqops.lint.rules import (
    cadence,
    compliance,
    content,
    copytext,
    hygiene,
    merge_fields,
    threading,
)


class InvalidManifest(Rule):
    """A manifest that `seqops validate` rejects (YAML, JSON Schema or references).

    Lint reports validation errors under this id so that CI (and SARIF code scanning) sees
    them with the other findings. It cannot be disabled: fix the manifest."""

    id = "manifest/invalid"
    severity = Severity.error

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        return iter(())  # the loader reports these; `seqops.lint.engine` turns them into findings


class UnknownSuppression(Rule):
    """A `# seqops-lint: disable=...` comment that names no rule.

    A misspelt id silences nothing; the message suggests the id you probably meant."""

    id = "lint/unknown-rule"
    severity = Severity.warning

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        return iter(())  # `seqops.lint.suppress` reports these while reading the comments


RULES: dict[str, Rule] = {
    rule.id: rule()
    for family in (merge_fields, compliance, threading, cadence, content, hygiene, copytext)
    for rule in family.RULES
} | {InvalidManifest.id: InvalidManifest(), UnknownSuppression.id: UnknownSuppression()}
"""Rule id -> rule."""
