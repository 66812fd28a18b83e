"""Merge-field rules: variables that do not exist, braces that do not balance, and variables
where they are never seen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from seqops.lint.context import Context
from seqops.lint.finding import Severity
from seqops.lint.rule import Hit, Rule
from seqops.lint.rules.texts import BODY, attributes, shown, texts
from seqops.preview import mergefields


class UnknownMergeField(Rule):
    """A merge field that Outreach does not fill.

    Outreach sends `{{first_nmae}}` as it is, or refuses the step, to every prospect. The known
    variables are the prospect (`{{first_name}}`), account (`{{account.name}}`) and sender
    (`{{sender.first_name}}`) attributes Outreach fills, listed under "Merge fields" above,
    plus the custom fields listed in `seqops.yaml` under `lint.customFields`. The message
    suggests the closest known variable, translating other tools' spellings (HubSpot's
    `{{contact.firstname}}`, `{{company.name}}`, `{{customField3}}`); Outreach has no
    unsubscribe or calendar variable (`{{unsubscribe_link}}`, `{{sender.calendar_url}}`)."""

    id = "merge-field/unknown"
    severity = Severity.error
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            for path, text in texts(template):
                for variable in mergefields.variables(text):
                    if (
                        variable.name in mergefields.known()
                        or variable.name in context.custom_fields
                    ):
                        continue
                    message = f"unknown merge field {{{{{variable.name}}}}}: " + _hint(
                        variable.name, context.custom_fields
                    )
                    yield Hit(template, path, message, (variable.offset, variable.length))


def _hint(name: str, custom: frozenset[str]) -> str:
    guess = mergefields.suggestion(name, custom)
    if guess:
        return f"did you mean {{{{{guess}}}}}?"
    absent = mergefields.absent_hint(name)
    return absent or "declare custom fields in seqops.yaml under lint.customFields"


class MalformedMergeField(Rule):
    """Braces that do not make a merge field: `{{first_name}`, `{first_name}}`, `{{}}`,
    `{{First Name}}`, another tool's `{{firstName}}` or `{{firstName|there}}`, single
    braces around anything in the visible text (`{first_name}`, `{industry/vertical}`), and
    other tools' merge tags there (Mailchimp's `*|FNAME|*`, `%FIRST_NAME%`).

    The grammar is `{{ name }}`, `{{ account.name }}` or `{{ sender.name }}` with names in
    lowercase snake_case; anything else between or around braces reaches the prospect as
    literal text. Single braces inside `<style>` (CSS) are not read; spintax (`{a|b}`) is
    `content/spintax`."""

    id = "merge-field/malformed"
    severity = Severity.error
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            for path, text in texts(template):
                for found in mergefields.scan(text):
                    if isinstance(found, mergefields.Malformed):
                        yield Hit(template, path, found.message, (found.offset, found.length))
            for part in shown(template):
                for single in mergefields.single_braces(part.text):
                    if isinstance(single, mergefields.Malformed):
                        span = part.span(single.offset, single.length)
                        yield Hit(template, part.path, single.message, span)
                for foreign in mergefields.foreign_tags(part.text):
                    span = part.span(foreign.offset, foreign.length)
                    yield Hit(template, part.path, foreign.message, span)
            braced = "{" in (template.spec.bodyHtml or "")
            for offset, value in attributes(template, _braced) if braced else ():
                for single in mergefields.single_braces(value):
                    if isinstance(single, mergefields.Malformed):
                        span = (offset + single.offset, single.length)
                        yield Hit(template, BODY, single.message, span)


def _braced(value: str) -> bool:
    return "{" in value


class OftenEmptyMergeField(Rule):
    """A merge field that is empty for more than `threshold` (default 0.2) of the target's
    prospects (`seqops lint --target T`, over a sample of `sample` prospects, default 50).

    `Hi {{first_name}},` reads `Hi ,` to everyone whose first name is missing. Offline lint
    reports nothing; `seqops preview TEMPLATE --sample N` shows the same counts for one
    template."""

    id = "merge-field/often-empty"
    severity = Severity.warning
    params = {"threshold": 0.2, "sample": 50}

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        if not context.people:
            return
        from seqops.preview.fill import empty_counts  # the preview's own filling

        total, threshold = len(context.people), float(params["threshold"])
        for template in context.templates.values():
            counts = empty_counts(template, context.people)
            for name, empty in counts.items():
                if empty / total <= threshold:
                    continue
                path, variable = _first(template, name)
                message = f"{{{{{name}}}}} is empty for {empty} of {total} prospects of the target"
                yield Hit(template, path, message, (variable.offset, variable.length))


def _first(template: Any, name: str) -> tuple[Any, mergefields.Variable]:
    for path, text in texts(template):
        for variable in mergefields.variables(text):
            if variable.name == name:
                return path, variable
    raise LookupError(name)  # empty_counts only names variables the texts hold


RULES = (UnknownMergeField, MalformedMergeField, OftenEmptyMergeField)
