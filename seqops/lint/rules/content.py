"""Content rules: the HTML, links, images and subject of every template."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from seqops.lint import html
from seqops.lint.context import Context
from seqops.lint.finding import Severity
from seqops.lint.rule import Hit, Rule
from seqops.lint.rules.texts import BODY, SUBJECT, texts

PLACEHOLDER_DOMAIN = re.compile(
    r"(?<![\w.-])(?:www\.)?(?:example\.(?:com|org|net)|your-?(?:domain|company|website)\.com)\b"
    r"|(?<![\w.-])localhost\b|(?<![\w-])[\w-]+\.invalid\b",
    re.IGNORECASE,
)
"""The reserved example domains themselves (RFC 2606) and "yourdomain.com"-style stand-ins.
A subdomain (`acme.example.com`) is not reported: it stands for a real company's own site."""
PLACEHOLDER_TEXT = re.compile(
    r"\b(?:TODO|FIXME|TBD|XXX+)\b|lorem ipsum|\[(?:insert|your) [^\]]*\]", re.I
)
_MAY_HOLD_PLACEHOLDER = re.compile(
    r"(?i)example|your|localhost|invalid|lorem|\[|TODO|FIXME|TBD|XXX"
)
"""A cheap first look: most texts hold none of these, and skip the two precise patterns."""
_SAFE_SCHEMES = ("https://", "mailto:", "tel:", "sms:")


def _links(body: str) -> Iterator[tuple[str, int]]:
    for tag in html.parse(body).tags:
        if tag.name == "a" and tag.attrs.get("href") is not None:
            yield tag.attrs["href"] or "", tag.attribute_offset("href")


class MalformedHtml(Rule):
    """HTML that mail clients would each repair differently: an element never closed
    (`<b>`, `<a>`, `<div>`, `<p>`...), a closing tag with nothing to close, or markup html5lib
    cannot parse (an unterminated attribute, a duplicate attribute).

    An unclosed `<a>` links the rest of the email; an unclosed `<b>` shouts it."""

    id = "content/malformed-html"
    severity = Severity.warning
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            body = template.spec.bodyHtml
            if not body:
                continue
            for problem in html.parse(body).problems:
                yield Hit(template, BODY, problem.message, (problem.offset, problem.length))


class InsecureLink(Rule):
    """A link that is not an absolute `https://` URL: `http://`, a relative path, a bare
    `www.` address or `javascript:`.

    Plain http is flagged by mail clients and rewritten by link tracking; relative links go
    nowhere in an inbox. `mailto:`, `tel:`, `sms:` and links built from a merge field
    (`href="{{sender.calendar_url}}"`) are fine."""

    id = "content/insecure-link"
    severity = Severity.warning
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            for href, offset in _links(template.spec.bodyHtml or ""):
                target = href.strip()
                if target.lower().startswith(_SAFE_SCHEMES) or target.startswith("{{"):
                    continue
                message = f"link {target or '(empty)'!r} is not an absolute https:// URL"
                yield Hit(template, BODY, message, (offset, max(len(href), 1)))


class Placeholder(Rule):
    """Placeholder text left in a subject or body: `TODO`, `FIXME`, `TBD`, `XXX`,
    "lorem ipsum", `[insert ...]`, and links or addresses on placeholder domains
    (`example.com`, `example.org`, `example.net`, `yourdomain.com`, `localhost`, `*.invalid`).

    These are for drafts; prospects should never see them."""

    id = "content/placeholder"
    severity = Severity.warning
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            for path, text in texts(template):
                if not _MAY_HOLD_PLACEHOLDER.search(text):
                    continue
                for match in PLACEHOLDER_DOMAIN.finditer(text):
                    message = f"placeholder domain {match.group()!r}"
                    yield Hit(template, path, message, (match.start(), len(match.group())))
                for match in PLACEHOLDER_TEXT.finditer(text):
                    message = f"placeholder text {match.group()!r}"
                    yield Hit(template, path, message, (match.start(), len(match.group())))


class ImageWithoutAlt(Rule):
    """An `<img>` with no `alt` attribute.

    Most clients block images by default; without `alt` the prospect sees an empty box, and
    screen readers read the file name. Decorative images may say `alt=""`."""

    id = "content/img-alt"
    severity = Severity.warning
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            for tag in html.parse(template.spec.bodyHtml or "").tags:
                if tag.name == "img" and "alt" not in tag.attrs:
                    src = tag.attrs.get("src") or "?"
                    message = f"<img src={src!r}> has no alt text"
                    yield Hit(template, BODY, message, (tag.offset, len(tag.raw)))


class LongSubject(Rule):
    """A subject longer than `maxLength` characters (default 60), merge fields as written.

    Phones show about 40 characters of a subject and desktop clients about 60; the rest is cut
    off."""

    id = "content/subject-length"
    severity = Severity.warning
    per_template = True
    params = {"maxLength": 60}

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        limit = int(params["maxLength"])
        for template in context.templates.values():
            subject = template.spec.subject or ""
            if len(subject) > limit:
                message = f"subject is {len(subject)} characters, more than {limit}"
                yield Hit(template, SUBJECT, message, (limit, len(subject) - limit))


RULES = (MalformedHtml, InsecureLink, Placeholder, ImageWithoutAlt, LongSubject)
