"""The strings of a template that reach a prospect, with their paths."""

from __future__ import annotations

from collections.abc import Iterator

from seqops.manifest.errors import Path
from seqops.manifest.models import Template

SUBJECT: Path = ("spec", "subject")
BODY: Path = ("spec", "bodyHtml")


def texts(template: Template) -> Iterator[tuple[Path, str]]:
    if template.spec.subject:
        yield SUBJECT, template.spec.subject
    if template.spec.bodyHtml:
        yield BODY, template.spec.bodyHtml
