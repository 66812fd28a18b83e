"""Compliance rules: automated email must let people opt out, and say what the law requires."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from seqops.lint import optout
from seqops.lint.context import Context, Use
from seqops.lint.finding import Severity
from seqops.lint.rule import Hit, Rule
from seqops.lint.rules.texts import BODY
from seqops.manifest.models import Sequence


def _thread_offers_way_out(context: Context, use: Use) -> bool:
    """Whether an earlier email of the thread a reply step continues offers a way out."""
    steps = use.sequence.spec.steps
    for index in range(use.index - 1, -1, -1):
        step = steps[index]
        if not step.is_email:
            continue
        for name in step.variants:
            template = context.templates.get(name)
            if template is not None and optout.has_way_out(template.spec.bodyHtml or ""):
                return True
        if not step.isReply:
            return False  # the thread starts here
    return False


def _needs_opt_out(context: Context, sequence: Sequence, step_type: str) -> bool:
    """An automated email of a marketing sequence whose ruleset adds no unsubscribe link."""
    if step_type != "auto_email" or sequence.spec.transactional:
        return False
    ruleset = context.rulesets.get(sequence.spec.ruleset or "")
    return not (ruleset and ruleset.spec.includeUnsubscribeLinks)


class MissingOptOut(Rule):
    """An automated email of a non-transactional sequence with no way to opt out.

    Cold email without a way out breaks CAN-SPAM, GDPR and most mailbox providers'
    bulk-sender rules. Reported on each `auto_email` step of a sequence that is not
    `transactional: true` when none of these holds: its ruleset sets
    `includeUnsubscribeLinks: true`; the template's body has a link whose text, address or
    sentence offers to unsubscribe or manage preferences (an address written out in the text
    counts: mail clients make it a link, "Unsubscribe here: https://acme.io/prefs"); the body
    asks for a reply to stop ("reply STOP", "reply 'no' and I'll stop", "just reply with c)
    to be removed", "if you'd rather I didn't follow up, just reply 'no thanks'"). The word alone is
    not a way out: "UNSUBSCRIBE" with nothing to click is `compliance/unlinked-unsubscribe`,
    and a sentence about unsubscribe rates offers nothing. Manual emails are written per
    person and are not reported, and neither is a reply step whose thread already offered a
    way out in an earlier email. A warning by default: an organisation can have Outreach add
    an unsubscribe footer to every email, which seqops cannot see; make it an error in
    `seqops.yaml` when yours does not."""

    id = "compliance/opt-out"
    severity = Severity.warning

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for name, uses in context.uses.items():
            template = context.templates.get(name)
            if template is None:
                continue
            bare = [
                u
                for u in uses
                if _needs_opt_out(context, u.sequence, u.step.type)
                and not (u.step.isReply and _thread_offers_way_out(context, u))
            ]
            if not bare or optout.has_way_out(template.spec.bodyHtml or ""):
                continue
            for use in bare:
                message = (
                    f"step {use.index + 1} sends {name!r} automatically with no way to opt out: "
                    "looked for an unsubscribe or preferences link in its body, a reply "
                    'instruction ("reply STOP"), and a ruleset with includeUnsubscribeLinks: true'
                )
                yield Hit(use.sequence, use.path, message, about=template)


class UnlinkedUnsubscribe(Rule):
    """An offer to unsubscribe or manage preferences that is no link: "UNSUBSCRIBE", "click
    here to unsubscribe" or "Manage preferences" as plain text, in a body that links no way
    out and asks for no reply instead.

    The reader has nothing to click, and neither has a mailbox provider's bulk-sender check.
    Make it a link to your unsubscribe or preferences page, say how to opt out by reply
    ("reply STOP"), or remove it and let the ruleset add Outreach's link
    (`includeUnsubscribeLinks: true`)."""

    id = "compliance/unlinked-unsubscribe"
    severity = Severity.warning
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            for offset, length, words in optout.unlinked_offers(template.spec.bodyHtml or ""):
                message = f"{words!r} offers a way out but is not a link: nothing to click"
                yield Hit(template, BODY, message, (offset, length))


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


RULES = (MissingOptOut, UnlinkedUnsubscribe, RequiredText)
