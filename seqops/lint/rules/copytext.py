"""Copy rules: how the words read, to a prospect and to a spam filter. Off by default and at
`info`: teams judge copy differently; turn them on in `seqops.yaml` (`lint.rules`)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

from seqops.lint.context import Context
from seqops.lint.finding import Severity
from seqops.lint.rule import Hit, Rule
from seqops.lint.rules.texts import BODY, SUBJECT, shown, visible

_SPAMMY = re.compile(
    r"\d+\s*%\s*off\b|\bfree\b|!{2,}|\${2,}|\bact now\b|\blimited time\b|\bguarantee[ds]?\b"
    r"|\burgent\b|\bwinner\b|\bcash\b|\brisk[- ]free\b|\bno obligation\b|\bclick here\b",
    re.IGNORECASE,
)
_ATTACHED = re.compile(
    r"\b(?:(?:I(?:'ve| have)?|I've)\s+attached|(?:please\s+)?find\s+attached|see\s+(?:the\s+)?"
    r"attach(?:ed|ment)|attached\s+(?:is|are|you'll find|you will find)|in\s+the\s+attachment)\b",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^\s*(?:best|best regards|kind regards|regards|thanks|thank you|cheers|sincerely|"
    r"talk soon|warmly|all the best)\s*,?\s*$",
    re.IGNORECASE,
)
_PERSON = re.compile(r"^\s*([A-Z][a-z]+(?:[ \t]+[A-Z][a-z'-]+){0,2})\s*$")


class SpamSubject(Rule):
    """A subject that reads like spam: all capitals, "% OFF", "free", "!!", "$$$", "act
    now", "limited time", "guarantee"... (info, off by default).

    Mailbox providers' filters weigh the subject heavily, and so do readers."""

    id = "copy/spam-subject"
    severity = Severity.info
    default_enabled = False
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            subject = template.spec.subject or ""
            letters = re.sub(r"\{\{.*?\}\}|[^A-Za-z]", "", subject)
            if len(letters) >= 8 and letters.isupper():
                yield Hit(template, SUBJECT, "subject is in capitals", (0, len(subject)))
                continue
            for match in _SPAMMY.finditer(subject):
                message = f"{match.group()!r} in the subject reads as spam"
                yield Hit(template, SUBJECT, message, (match.start(), len(match.group())))


class AttachmentMention(Rule):
    """A body that mentions an attachment ("I've attached", "find attached", "see the
    attachment") while templates here carry none (info, off by default).

    seqops manages no template attachments: the prospect gets an email pointing at a file
    that is not there. Link the document instead."""

    id = "copy/attachment-mention"
    severity = Severity.info
    default_enabled = False
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            for part in shown(template):
                for match in _ATTACHED.finditer(part.text):
                    message = f"{match.group()!r} but the template has no attachment"
                    span = part.span(match.start(), len(match.group()))
                    yield Hit(template, part.path, message, span)


class HardCodedSignature(Rule):
    """A shared template (`shareType: shared`) signed with a person's name ("Best,<br>Jane
    Miller") instead of the sender's merge fields (info, off by default).

    Every rep who sends it signs as Jane. Sign with `{{sender.first_name}}`, or leave the
    signature to the mailbox's own."""

    id = "copy/hardcoded-signature"
    severity = Severity.info
    default_enabled = False
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            if template.spec.shareType != "shared":
                continue
            segments = [(o, t) for path, o, t in visible(template) if path == BODY]
            for (_, sign_off), (offset, name) in itertools.pairwise(segments):
                person = _PERSON.match(name)
                if _SIGN_OFF.match(sign_off) and person is not None:
                    message = f"signed {person.group(1)!r} in a shared template"
                    start = offset + person.start(1)
                    yield Hit(template, BODY, message, (start, len(person.group(1))))


RULES = (SpamSubject, AttachmentMention, HardCodedSignature)
