"""The shape of a lint rule: a small object with a stable id, a default severity, parameters
with defaults, and its docstring as its documentation (`docs/lint.md` repeats it)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from seqops.lint.finding import Severity
from seqops.manifest.errors import Path
from seqops.manifest.models import Resource

if TYPE_CHECKING:
    from seqops.lint.context import Context


class Hit(NamedTuple):
    """A rule's raw result: where in which document, before it is located in a file.

    `span` is (offset, length) of the offending text inside the string at `path` (a subject or
    a bodyHtml), so the finding points at that text, not at the start of the value."""

    resource: Resource
    path: Path
    message: str
    span: tuple[int, int] | None = None
    at_key: bool = False
    about: Resource | None = None
    """The resource the problem is about, when it is reported in another one (a template's
    missing opt-out, at the step that sends it): `plan` shows it under that one's change."""


class Rule:
    """Subclasses set `id`, `severity`, optionally `params`, and implement `check`."""

    id: ClassVar[str]
    severity: ClassVar[Severity]
    params: ClassVar[dict[str, Any]] = {}
    """Parameters and their defaults; `seqops.yaml` `lint.rules.<id>` may set them."""
    plan_only: ClassVar[bool] = False
    """Needs live state: reported by `plan`, never by `seqops lint` on its own."""
    default_enabled: ClassVar[bool] = True
    per_template: ClassVar[bool] = False
    """Reads `context.templates` only, each on its own: `seqops.lint.per_template` may run it
    while the manifests load."""
    restates: ClassVar[tuple[str, ...]] = ()
    """Validation messages (parts of them) this rule reports in its own words: where it hits
    the same line, `seqops lint` shows its finding alone, not a second `manifest/invalid`."""

    def check(self, context: Context, params: dict[str, Any]) -> Iterator[Hit]:
        """Every problem in the manifest set; `params` are `self.params` as configured."""
        raise NotImplementedError

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        """The docstring's first sentence: SARIF's shortDescription, `docs/lint.md`'s heading."""
        return cls.doc().split("\n\n")[0].replace("\n", " ")
