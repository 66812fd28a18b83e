"""Content rules: the HTML, links, images, placeholders and subject of every template."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from seqops.lint import html, placeholders, urls
from seqops.lint.context import Context
from seqops.lint.finding import Severity
from seqops.lint.rule import Hit, Rule
from seqops.lint.rules.texts import BODY, SUBJECT, attributes, shown, texts
from seqops.manifest.models import Template
from seqops.preview import mergefields

_SAFE_SCHEMES = ("https://", "mailto:", "tel:", "sms:")


def _links(body: str) -> Iterator[tuple[str, int]]:
    """Every address a reader can click: each `<a href>`, and each URL written out in the
    text, which mail clients make a link."""
    for tag in html.parse(body).select(("a",)):
        if tag.attrs.get("href") is not None:
            yield tag.attrs["href"] or "", tag.attribute_offset("href")
    yield from urls.bare(body)


def _bodies(context: Context) -> Iterator[tuple[Template, str]]:
    for template in context.templates.values():
        if template.spec.bodyHtml:
            yield template, template.spec.bodyHtml


class MalformedHtml(Rule):
    """HTML that mail clients would each repair differently: an element never closed
    (`<b>`, `<a>`, `<div>`, `<p>`...), a closing tag with nothing to close, or markup html5lib
    cannot parse (an unterminated attribute, a duplicate attribute).

    An unclosed `<a>` links the rest of the email; an unclosed `<b>` shouts it."""

    id = "content/malformed-html"
    severity = Severity.warning
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template, body in _bodies(context):
            for problem in html.parse(body).problems:
                yield Hit(template, BODY, problem.message, (problem.offset, problem.length))


class InsecureLink(Rule):
    """A link that is not an absolute `https://` URL: `http://`, a relative path, a bare
    `www.` address, `#` or `javascript:`; an `http://` address written out in the text counts
    too, since mail clients make it a link.

    Plain http is flagged by mail clients and rewritten by link tracking; relative links go
    nowhere in an inbox. `mailto:`, `tel:`, `sms:` and links built from a merge field
    (`href="{{account.website_url}}"`) are fine."""

    id = "content/insecure-link"
    severity = Severity.warning
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template, body in _bodies(context):
            for href, offset in _links(body):
                target = href.strip()
                if target.lower().startswith(_SAFE_SCHEMES) or target.startswith("{{"):
                    continue
                if placeholders.BRACKET.fullmatch(target):
                    continue  # `[BOOKING_LINK]`: content/placeholder says what it is
                message = f"link {target or '(empty)'!r} is not an absolute https:// URL"
                yield Hit(template, BODY, message, (offset, max(len(href), 1)))


class AssetUrl(Rule):
    """An image, background or stylesheet the email loads from somewhere a mail client
    cannot reach: a relative path (`assets/logo.png`), plain `http://`, a `data:` URI, or an
    external stylesheet (`<link rel="stylesheet">`, `@import`).

    The prospect sees a broken image, or an email without its styles. Images, `background`
    attributes and CSS `url(...)` must be absolute `https://` URLs (or `cid:` attachments);
    styles must be inline or in a `<style>` element."""

    id = "content/asset-url"
    severity = Severity.warning
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template, body in _bodies(context):
            for asset in urls.assets(body):
                message = urls.problem(asset)
                if message is not None:
                    span = (asset.offset, max(len(asset.url), 1))
                    yield Hit(template, BODY, message, span)


class UrlShortener(Rule):
    """A link through a URL shortener (`bit.ly`, `tinyurl.com`, `lnkd.in`...), as its
    target, or written out in the text (which mail clients make a link).

    Spam filters score shortened links, and the reader cannot see where one leads: link to
    the page itself (Outreach's link tracking measures clicks anyway)."""

    id = "content/url-shortener"
    severity = Severity.warning
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template, body in _bodies(context):
            for href, offset in _links(body):
                if urls.shortener(href):
                    message = f"link {href.strip()!r} goes through a URL shortener"
                    yield Hit(template, BODY, message, (offset, max(len(href), 1)))


class LinkTextMismatch(Rule):
    """A link whose text shows one address while it goes to another: `acme.io` that leads
    to `bit.ly/3xYz`, `https://acme.io/demo` that leads to a tracker's domain.

    It is what phishing looks like, to readers and to spam filters. Text showing a page of
    the link's own site (`acme.io/pricing`) must lead to that page, or one under it; a query
    added to it (`?utm_source=...`) is fine. Make the text words ("the case study") or the
    address the link really goes to."""

    id = "content/link-text-mismatch"
    severity = Severity.warning
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template, body in _bodies(context):
            for link in html.parse(body).links:
                href = link.tag.attrs.get("href") or ""
                shown = urls.mismatch(href, link.text)
                if shown is not None:
                    message = f"link text shows {shown!r} but the link goes to {href.strip()!r}"
                    span = (link.tag.offset, len(link.tag.raw))
                    yield Hit(template, BODY, message, span)


class Spintax(Rule):
    """Spintax, `{Hi|Hey|Hello}` or `{{Hi|Hey}}`: Outreach has none.

    Other tools pick one alternative per email; Outreach sends the braces and bars as they
    are written, to every prospect. Pick one wording (A/B test variants with `templates:` on
    the step instead)."""

    id = "content/spintax"
    severity = Severity.error
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            for part in shown(template):
                for found in mergefields.single_braces(part.text):
                    if isinstance(found, mergefields.Spintax):
                        span = part.span(found.offset, found.length)
                        yield Hit(template, part.path, found.message, span)
            for whole_path, whole in texts(template):
                for braces in mergefields.scan(whole):
                    if isinstance(braces, mergefields.Spintax):
                        span = (braces.offset, braces.length)
                        yield Hit(template, whole_path, braces.message, span)


class Placeholder(Rule):
    """Placeholder text left in a subject or in the visible text of a body: a bracketed
    hint (`[Client Name]`, `[BOOKING_LINK]`, `[calendar link]`, `[insert case study]`), a
    parenthesis holding only what belongs there (`(date)`, `(company name)`), a tag that is no
    HTML element (`<First Name>`), `TODO`, `FIXME`, `TBD`, `XXX`, `INSERT SIMILAR COMPANY`,
    a blank to fill (`We help ____ teams`), filler Latin
    ("lorem ipsum", "dolor sit amet, consectetur..."), and links or addresses on placeholder
    domains (`example.com`, `yourdomain.com`, `companyname.com`, `localhost`, `*.invalid`).

    These are for drafts; prospects should never see them. Brackets people do send are left
    alone: footnotes (`[1]`), `[sic]`, a subject tag such as `[Webinar]` or `[Case Study]`, and
    so are parentheses of prose (`(SSO, audit logs)`, `(your call)`, `(e.g. Acme)`).
    HTML comments (Outlook's conditional ones too) are not read."""

    id = "content/placeholder"
    severity = Severity.error
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            whole = f"{template.spec.subject or ''}\n{template.spec.bodyHtml or ''}"
            finders = placeholders.finders(whole)
            for part in shown(template) if finders else ():
                for finder in finders:
                    for start, length, message in finder(part.text):
                        yield Hit(template, part.path, message, part.span(start, length))
            attribute_finders = [f for f in finders if f not in _TEXT_ONLY]
            might = placeholders.might_be_drafted
            for offset, value in attributes(template, might) if attribute_finders else ():
                for finder in attribute_finders:
                    for start, length, message in finder(value):
                        yield Hit(template, BODY, message, (offset + start, length))
            yield from _unknown_tags(template)


_TEXT_ONLY = (placeholders.lorem, placeholders.parentheses)
"""Finders for prose: an attribute's parentheses are a URL's or a style's."""


def _unknown_tags(template: Template) -> Iterator[Hit]:
    for tag in html.parse(template.spec.bodyHtml or "").unknown:
        message = f"placeholder `{tag.raw}` {placeholders.UNKNOWN_TAG_HINT}"
        yield Hit(template, BODY, message, (tag.offset, len(tag.raw)))


class StandIn(Rule):
    """A stand-in identity or number left in a subject or body: a company such as
    `XYZ Construction Solutions`, `ABC Corp` or `Company X`, `John Doe`, `name@company.com`,
    `123 Main St`, a phone number no line has (`+123-456-789`, `555-0100`,
    `(555) 555-1234`, `XXX-XXX-XXXX`, the UK's numbers kept for fiction such as
    `0113 496 0000` or `07700 900123`), an amount such as `$XX,XXX` or `X%`, a count such as
    `XX active users` or `YY projects`.

    Written while drafting, meant to be replaced by the real customer, number or merge
    field; sent as is, they tell the prospect nobody read the email."""

    id = "content/stand-in"
    severity = Severity.warning
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template in context.templates.values():
            for part in shown(template):
                for start, length, message in placeholders.stand_ins(part.text):
                    yield Hit(template, part.path, message, part.span(start, length))


class ImageWithoutAlt(Rule):
    """An `<img>` with no `alt` attribute.

    Most clients block images by default; without `alt` the prospect sees an empty box, and
    screen readers read the file name. Decorative images may say `alt=""`."""

    id = "content/img-alt"
    severity = Severity.warning
    per_template = True

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        for template, body in _bodies(context):
            for tag in html.parse(body).select(("img",)):
                if "alt" not in tag.attrs:
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


RULES = (
    MalformedHtml,
    InsecureLink,
    AssetUrl,
    UrlShortener,
    LinkTextMismatch,
    Spintax,
    Placeholder,
    StandIn,
    ImageWithoutAlt,
    LongSubject,
)
