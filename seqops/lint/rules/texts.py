"""The strings of a template that reach a prospect, with their paths: whole (subject, body),
as the reader sees them (the subject, a body's visible text) and in the attributes a reader
meets (link targets, image sources, alt text)."""

from __future__ import annotations

from collections.abc import Iterator

from seqops.lint import html
from seqops.manifest.errors import Path
from seqops.manifest.models import Template

SUBJECT: Path = ("spec", "subject")
BODY: Path = ("spec", "bodyHtml")
SHOWN_ATTRIBUTES = ("href", "src", "alt", "title")


def texts(template: Template) -> Iterator[tuple[Path, str]]:
    if template.spec.subject:
        yield SUBJECT, template.spec.subject
    if template.spec.bodyHtml:
        yield BODY, template.spec.bodyHtml


def visible(template: Template) -> Iterator[tuple[Path, int, str]]:
    """(path, offset, text): the subject, then each visible text segment of the body."""
    if template.spec.subject:
        yield SUBJECT, 0, template.spec.subject
    if template.spec.bodyHtml:
        for segment in html.parse(template.spec.bodyHtml).texts:
            yield BODY, segment.offset, segment.text


def attributes(template: Template) -> Iterator[tuple[int, str]]:
    """(offset, value) of the body's link targets, image sources, alt and title texts."""
    for tag in html.parse(template.spec.bodyHtml or "").tags:
        for name in SHOWN_ATTRIBUTES:
            value = tag.attrs.get(name)
            if value:
                yield tag.attribute_offset(name), value
