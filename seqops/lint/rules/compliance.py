"""Compliance rules: automated email must let people opt out, and say what the law requires."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from seqops.lint.context import Context
from seqops.lint.finding import Severity
from seqops.lint.rule import Hit, Rule
from seqops.lint.rules.texts import BODY
from seqops.manifest.models import Sequence

OPT_OUT = re.compile(
    r"unsubscribe|opt[\s_-]?out|manage (?:your )?(?:email )?preferences|email preferences"
    r"|no longer (?:wish|want) to (?:hear|receive)|don'?t want to hear|stop (?:receiving|hearing)",
    re.IGNORECASE,
)
"""An opt-out link or sentence, in any of the usual wordings (`{{unsubscribe_link}}` too)."""


def _needs_opt_out(context: Context, sequence: Sequence, step_type: str) -> bool:
    """An automated email of a marketing sequence whose ruleset adds no unsubscribe link."""
    if step_type != "auto_email" or sequence.spec.transactional:
        return False
    ruleset = context.rulesets.get(sequence.spec.ruleset or "")
    return not (ruleset and ruleset.spec.includeUnsubscribeLinks)


class MissingOptOut(Rule):
    """An automated email of a non-transactional sequence with no way to opt out.

    Cold email without an unsubscribe link breaks CAN-SPAM, GDPR and most mailbox providers'
    bulk-sender rules. Reported on each `auto_email` step of a sequence that is not
    `transactional: true`, whose ruleset does not set `includeUnsubscribeLinks: true`, and
    whose template's body has no opt-out link or text (`unsubscribe`, `opt out`, `manage your
    preferences`...). Manual emails are written per person and are not reported. A warning by
    default: an organisation can have Outreach add an unsubscribe footer to every email, which
    seqops cannot see; make it an error in `seqops.yaml` when yours does not."""

    id = "compliance/opt-out"
    severity = Severity.warning

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for name, uses in context.uses.items():
            template = context.templates.get(name)
            if template is None:
                continue
            bare = [u for u in uses if _needs_opt_out(context, u.sequence, u.step.type)]
            if not bare or OPT_OUT.search(template.spec.bodyHtml or ""):
                continue
            for use in bare:
                message = (
                    f"step {use.index + 1} sends {name!r} automatically with no opt-out: its body "
                    "has no unsubscribe link or text and the ruleset does not add one "
                    "(includeUnsubscribeLinks: true)"
                )
                yield Hit(use.sequence, use.path, message)


class RequiredText(Rule):
    """An automated email whose body lacks text your policy requires (e.g. a postal address).

    Off until configured: set `text` (one string or a list) under
    `lint.rules.compliance/required-text` in `seqops.yaml`. Every template an `auto_email`
    step sends must contain each text (case and spacing ignored)."""

    id = "compliance/required-text"
    severity = Severity.error
    params = {"text": []}

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        required = params["text"]
        required = [required] if isinstance(required, str) else list(required)
        if not required:
            return
        for name, uses in context.uses.items():
            template = context.templates.get(name)
            if template is None or not any(u.step.type == "auto_email" for u in uses):
                continue
            body = _normal(template.spec.bodyHtml or "")
            for text in required:
                if _normal(text) not in body:
                    yield Hit(template, BODY, f"automated email without the required text {text!r}")


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


RULES = (MissingOptOut, RequiredText)
