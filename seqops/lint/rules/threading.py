"""Threading rules: replies need a thread to reply in, new threads need a subject."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from seqops.lint.context import Context
from seqops.lint.finding import Severity
from seqops.lint.rule import Hit, Rule
from seqops.lint.rules.texts import SUBJECT


class FirstEmailIsReply(Rule):
    """`isReply: true` on the first email step of a sequence.

    There is no earlier email to reply to: Outreach sends it as a new thread with an empty or
    `Re:` subject, which reads as a trick. Make the first email a new thread."""

    id = "threading/first-reply"
    restates = ("nothing to reply to",)
    severity = Severity.error

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for sequence in context.sequences:
            for index, step in enumerate(sequence.spec.steps):
                if not step.is_email:
                    continue
                if step.isReply:
                    message = "the first email step is a reply: there is no thread to reply to"
                    yield Hit(sequence, ("spec", "steps", index, "isReply"), message)
                break


class EmptySubject(Rule):
    """An email that starts a new thread (not `isReply`) with a missing or empty subject.

    Reported at the template's `subject` (or at the step, when the template has none)."""

    id = "threading/empty-subject"
    severity = Severity.warning

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for name, uses in context.uses.items():
            template = context.templates.get(name)
            if template is None or (template.spec.subject or "").strip():
                continue
            new_threads = [use for use in uses if not use.step.isReply]
            if not new_threads:
                continue
            message = f"template {name!r} has no subject but starts a new thread"
            if template.spec.subject is not None:
                yield Hit(template, SUBJECT, message)
                continue
            for use in new_threads:
                yield Hit(use.sequence, use.path, f"step {use.index + 1}: {message}")


_REPLY_PREFIX = re.compile(r"^\s*(?:re|fwd?|aw|wg|sv|vs|tr)\s*(?:\[\d+\])?\s*:", re.IGNORECASE)


class FakeReplySubject(Rule):
    """A "Re:" or "Fwd:" subject (`AW:`, `WG:`, `SV:`, `TR:` too) on an email that starts a
    new thread (a step without `isReply: true`).

    It pretends to continue a conversation the prospect never had: readers feel tricked, and
    a subject line that misleads about the message is what CAN-SPAM forbids. A real reply
    step (`isReply: true`) is sent under the thread's own subject."""

    id = "threading/fake-reply-subject"
    severity = Severity.warning

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for name, uses in context.uses.items():
            template = context.templates.get(name)
            subject = template.spec.subject if template is not None else None
            match = _REPLY_PREFIX.match(subject or "")
            starts = [use for use in uses if not use.step.isReply]
            if template is None or match is None or not starts:
                continue
            prefix = match.group().strip()
            message = (
                f"subject starts with {prefix!r} but step {starts[0].index + 1} of "
                f"{starts[0].sequence.name!r} sends it as a new thread"
            )
            yield Hit(template, SUBJECT, message, (match.start(), match.end() - match.start()))


RULES = (FirstEmailIsReply, EmptySubject, FakeReplySubject)
