"""The strings of a template that reach a prospect, with their paths: whole (subject, body),
as the reader sees them (the subject, a body's visible text) and in the attributes a reader
meets (link targets, image sources, alt text)."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import NamedTuple

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


class Shown(NamedTuple):
    """What a reader sees of one field, as one text: a body's visible segments joined by line
    breaks (patterns that stop at a line break never run across two), so each pattern reads
    a body once."""

    path: Path
    text: str
    starts: tuple[int, ...]
    """Where each segment starts in `text`."""
    offsets: tuple[int, ...]
    """Where each segment starts in the field."""

    def span(self, start: int, length: int) -> tuple[int, int]:
        """(offset, length) in the field of `text[start:start + length]`, cut at its segment."""
        index = bisect.bisect_right(self.starts, start) - 1
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return self.offsets[index] + start - self.starts[index], max(1, min(length, end - start))


def shown(template: Template) -> Iterator[Shown]:
    """The subject, then the body's visible text, each as one `Shown`."""
    if template.spec.subject:
        yield Shown(SUBJECT, template.spec.subject, (0,), (0,))
    if template.spec.bodyHtml:
        body = _joined(template.spec.bodyHtml)
        if body.text:
            yield body


@lru_cache(maxsize=4096)
def _joined(body: str) -> Shown:
    segments = html.parse(body).texts
    starts, position = [], 0
    for segment in segments:
        starts.append(position)
        position += len(segment.text) + 1
    text = "\n".join(segment.text for segment in segments)
    return Shown(BODY, text, tuple(starts), tuple(s.offset for s in segments))


def attributes(template: Template, first_look: Callable[[str], bool]) -> Iterator[tuple[int, str]]:
    """(offset, value) of the body's link targets, image sources, alt and title texts that
    pass `first_look` (a cheap test: most values are never located)."""
    for offset, value in _shown_attributes(template.spec.bodyHtml or ""):
        if first_look(value):
            yield offset, value


@lru_cache(maxsize=64)
def _shown_attributes(body: str) -> tuple[tuple[int, str], ...]:
    """Every non-empty `SHOWN_ATTRIBUTES` value of the body, read once for the rules that ask."""
    tags = html.parse(body).select(("a", "img", "area", "abbr"), ("title",))
    return tuple(
        (tag.attribute_offset(name), value)
        for tag in tags
        for name in SHOWN_ATTRIBUTES
        if (value := tag.attrs.get(name))
    )
