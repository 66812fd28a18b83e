"""Merge-field rules: variables that do not exist, braces that do not balance, and variables
where they are never seen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from seqops.lint import mergefields
from seqops.lint.context import Context
from seqops.lint.finding import Severity
from seqops.lint.rule import Hit, Rule
from seqops.lint.rules.texts import SUBJECT, texts


class UnknownMergeField(Rule):
    """A merge field that is not a prospect, account or sender attribute.

    Outreach sends `{{first_nmae}}` as it is, or refuses the step, to every prospect. The known
    variables are the prospect (`{{first_name}}`), account (`{{account.name}}`) and sender
    (`{{sender.first_name}}`) attributes of Outreach's API, in snake_case, plus
    `{{previous_subject}}` and the custom fields listed in `seqops.yaml` under
    `lint.customFields`. The message suggests the closest known variable."""

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
                    guess = mergefields.suggestion(variable.name, context.custom_fields)
                    hint = (
                        f": did you mean {{{{{guess}}}}}?"
                        if guess
                        else (": declare custom fields in seqops.yaml under lint.customFields")
                    )
                    message = f"unknown merge field {{{{{variable.name}}}}}{hint}"
                    yield Hit(template, path, message, (variable.offset, variable.length))


class MalformedMergeField(Rule):
    """Braces that do not make a merge field: `{{first_name}`, `{first_name}}`, `{first_name}`,
    `{{First Name}}` or `{{}}`.

    The grammar is `{{ name }}`, `{{ account.name }}` or `{{ sender.name }}` with names in
    lowercase snake_case; anything else between or around double braces reaches the prospect as
    literal text."""

    id = "merge-field/malformed"
    severity = Severity.error
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            for path, text in texts(template):
                for found in mergefields.scan(text):
                    if isinstance(found, mergefields.Malformed):
                        yield Hit(template, path, found.message, (found.offset, found.length))


class ReplySubjectMergeField(Rule):
    """A merge field in the subject of a template that only reply steps send.

    A reply (`isReply: true`) goes out in the thread of the previous email, under its subject:
    the template's own subject is never sent, so a personalised subject there is work nobody
    sees and usually a sign the template was meant as a new thread. `{{previous_subject}}` is
    allowed. A template that is also sent as a new thread is not reported."""

    id = "merge-field/reply-subject"
    severity = Severity.warning

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for name, uses in context.uses.items():
            template = context.templates.get(name)
            if template is None or not all(use.step.isReply for use in uses):
                continue
            for variable in mergefields.variables(template.spec.subject):
                if variable.name in mergefields.THREAD:
                    continue
                message = (
                    f"{{{{{variable.name}}}}} in the subject of a template sent only as a reply "
                    "(the subject of a reply is not sent)"
                )
                yield Hit(template, SUBJECT, message, (variable.offset, variable.length))


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


RULES = (UnknownMergeField, MalformedMergeField, ReplySubjectMergeField, OftenEmptyMergeField)
