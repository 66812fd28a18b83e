"""Rules that read one template at a time (`Rule.per_template`: merge fields, HTML, links,
images, placeholders, subject length), run by the loader on each template where it loads it: in its
worker processes for big sets, in parallel with the parsing, instead of afterwards in the parent.

`Linter` uses these results only for templates that have them, and runs the rules itself
otherwise, so a set loaded without `inspector` is linted the same way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from seqops.lint.context import Context
from seqops.lint.registry import RULES
from seqops.lint.rule import Hit
from seqops.lint.settings import LintSettings
from seqops.manifest.errors import Path
from seqops.manifest.loader import Inspect
from seqops.manifest.models import Resource


class TemplateHit(NamedTuple):
    """A `Hit` without its resource (a worker's copy): the parent has its own."""

    rule: str
    path: Path
    message: str
    span: tuple[int, int] | None
    at_key: bool

    def on(self, resource: Resource) -> Hit:
        return Hit(resource, self.path, self.message, self.span, self.at_key)


def inspector(settings: LintSettings) -> Inspect:
    """What `load(inspect=...)` runs on each resource, for these settings."""
    return TemplateHits(
        tuple(
            (rule.id, settings.params(rule.id))
            for rule in RULES.values()
            if rule.per_template and settings.may_run(rule.id)
        ),
        frozenset(settings.customFields),
    )


@dataclass(frozen=True)
class TemplateHits:
    """The enabled per-template rules and their parameters, settled once for every template
    (it pickles: worker processes receive it)."""

    rules: tuple[tuple[str, dict[str, Any]], ...]
    custom_fields: frozenset[str]

    def __call__(self, resource: Resource) -> list[TemplateHit] | None:
        """The hits of every rule on `resource`; None if no template."""
        if resource.kind != "Template":
            return None
        context = Context([resource], self.custom_fields)
        return [
            TemplateHit(rule_id, hit.path, hit.message, hit.span, hit.at_key)
            for rule_id, params in self.rules
            for hit in RULES[rule_id].check(context, params)
        ]
