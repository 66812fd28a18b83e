"""Ways out of an email that a reader can actually take: a link that offers to unsubscribe or
manage preferences, or an explicit instruction to reply ("reply STOP", "reply 'no' and I'll
stop", "just reply with c) to be removed"). The word alone is no way out: "UNSUBSCRIBE" with
nothing to click, or a sentence about unsubscribe rates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from seqops.lint import html, placeholders, urls
from seqops.lint.caseless import Caseless
from seqops.preview import mergefields

OFFER = Caseless(
    r"unsubscrib(?:e|ing)(?!\s*rates?\b|s\b|d\b)|opt[\s_-]?out(?!\s*rates?\b)"
    r"|(?:e-?mail|subscription|communication|notification|contact)s?[\s_-]+preferences"
    r"|manage[\s_-]+(?:your[\s_-]+)?(?:e-?mail[\s_-]+)?(?:preferences|subscriptions?|settings)"
    r"|update[\s_-]+(?:your[\s_-]+)?(?:e-?mail[\s_-]+)?preferences|preference[\s_-]+cent(?:er|re)"
    r"|remove[\s_-]+me\b|stop[\s_-]+(?:receiving|these[\s_-]+e-?mails)"
)
"""Words that offer a way out, in a link's text or address."""
OFFER_WORDS = ("unsub", "opt", "prefer", "manage", "remove", "stop")
"""Parts of every `OFFER`: a body without any has no offer (a cheap first look). "manage"
for "Manage subscriptions" and "Manage your settings", which hold none of the others
(`test_every_offer_holds_a_first_look_word`)."""
_INTENT = Caseless(
    r"unsubscrib(?:e|ing)(?!\s*rates?\b|s\b|d\b)|opt(?:-|\s)?out(?!\s*rates?\b)"
    r"|remove (?:you|your|me)\b|take (?:you|your \w+) off|off (?:my|our|the) (?:list|radar)"
    r"|stop (?:e-?mailing|reaching out|contacting|following up|sending|messaging|writing)"
    r"|won[\u2019']?t (?:e-?mail|contact|reach out|follow up|bother|write)"
    r"|(?:leave|let) you alone|not interested|no longer (?:interested|relevant)"
    r"|never hear from (?:me|us)|close (?:out )?(?:the|your) (?:loop|file)|i[\u2019']ll stop"
    r"|(?:rather|prefer)(?: that)? (?:i|we) (?:didn[\u2019']?t|don[\u2019']?t|not|stop)"
    r"|(?:rather|prefer|want) not to hear|(?:don[\u2019']?t|do not) (?:want|wish) to hear"
    r"|\bstop\b|[\"\u201c\u2018'](?:stop|no|unsubscribe|remove|pass)\b[^\"\u201d\u2019'\n]{0,20}"
    r"[\"\u201d\u2019']|\bno\b"
)
"""Words that say the reader may stop the emails; "stop" and "no" alone count in capitals
(`_CASE_SENSITIVE`)."""
_CASE_SENSITIVE = ("STOP", "NO")
_REPLY_CUE = re.compile(
    r"\b(?:reply|replying|respond|write back|let me know|just say|hit reply|drop me a line)\b",
    re.IGNORECASE,
)
WINDOW = 200
"""Characters around a way-out phrase within which the reply cue must stand ("b) Remove you
from my list? Just reply with a, b or c")."""


AROUND_LINK = 80
"""Characters of text either side of a link, in its sentence, that may say what it is for
("<a>Click here</a> to unsubscribe")."""
_TAG = re.compile(r"<[^>]*>")
_BOUNDARY = re.compile(r"(?i)<(?:/?p|br|/?td|/?div|/?li|/?tr|/?h\d)\b[^>]*>|[.!?](?=\s|<|$)")
"""Where a sentence or a block ends: text past it says nothing about the link."""


def links_out(body: str) -> bool:
    """A link whose text, address or the words right around it offer to unsubscribe or
    manage preferences; an address written out in the text counts (mail clients make it a
    link): "Unsubscribe here: https://acme.io/email-prefs"."""
    clickable = _clickable(body)
    shown = "\n".join(f"{text} {href}" for text, href, _, _ in clickable)
    if placeholders.mentions(shown, OFFER_WORDS) and OFFER.found(shown):
        return True
    around = "\n".join(
        _sentence_around(body, start, end)
        for _, _, start, end in clickable
        if placeholders.mentions(_window(body, start, end), OFFER_WORDS)
    )
    return OFFER.found(around)


def _clickable(body: str) -> list[tuple[str, str, int, int]]:
    """(text, address, start, end) of each `<a href>` and each address written out."""
    found = [
        (link.text, link.tag.attrs.get("href") or "", link.tag.offset, _end(link))
        for link in html.parse(body).links
    ]
    found += [(b.url, b.url, b.offset, b.offset + len(b.url)) for b in urls.bare(body)]
    return found


def _end(link: html.Link) -> int:
    return link.end or link.tag.offset + len(link.tag.raw)


def _window(body: str, start: int, end: int) -> str:
    return body[max(0, start - 4 * AROUND_LINK) : end + 4 * AROUND_LINK]


def _sentence_around(body: str, start: int, end: int) -> str:
    before = _BOUNDARY.split(body[max(0, start - 4 * AROUND_LINK) : start])[-1]
    after = _BOUNDARY.split(body[end : end + 4 * AROUND_LINK])[0]
    return _TAG.sub(" ", before)[-AROUND_LINK:] + " " + _TAG.sub(" ", after)[:AROUND_LINK]


def reply_out(text: str) -> bool:
    """An instruction to reply to stop the emails, in `text` (the visible text)."""
    return next(_reply_spans(text), None) is not None


def _reply_spans(text: str) -> Iterator[tuple[int, int]]:
    for found, until in _INTENT.spans(text):
        written = text[found:until]
        if written.upper() in _CASE_SENSITIVE and written not in _CASE_SENSITIVE:
            continue  # "stop" and "no" count as the words to reply, in capitals or quotes
        start, end = max(0, found - WINDOW), until + WINDOW
        if _REPLY_CUE.search(text, start, end):
            yield start, end


@lru_cache(maxsize=4096)
def reading(body: str) -> str:
    """The body's visible text as one string, entities for spaces and quotes read as such."""
    joined = " ".join(segment.text for segment in html.parse(body).texts)
    for entity, char in (("&nbsp;", " "), ("&#39;", "'"), ("&quot;", '"'), ("&rsquo;", "\u2019")):
        joined = joined.replace(entity, char)
    return joined


def has_way_out(body: str) -> bool:
    return links_out(body) or reply_out(reading(body))


def unlinked_offers(body: str) -> Iterator[tuple[int, int, str]]:
    """(offset, length, words) of each offer to unsubscribe in the visible text that is no
    link, when the body links no way out and asks for no reply instead."""
    if links_out(body) or not placeholders.mentions(body, OFFER_WORDS):
        return  # links first: a few short texts, where the first look reads the whole body
    for segment in html.parse(body).texts:
        if segment.in_link:
            continue
        fields = [(f.offset, f.offset + f.length) for f in mergefields.scan(segment.text)]
        for start, end in OFFER.spans(segment.text):
            if any(a <= start < b for a, b in fields):
                continue  # `{{unsubscribe_link}}` is the merge-field rules' finding, not a text
            if not reply_out(_around(segment.text, start, end)):
                yield segment.offset + start, end - start, segment.text[start:end]


def _around(text: str, start: int, end: int) -> str:
    return text[max(0, start - WINDOW) : end + WINDOW]
