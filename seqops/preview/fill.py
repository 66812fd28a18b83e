"""Filling merge fields: the grammar of `seqops.preview.mergefields`, the values of one person."""

from __future__ import annotations

from dataclasses import dataclass, field

from seqops.manifest.models import Template
from seqops.preview import mergefields


@dataclass(frozen=True)
class Person:
    """What a template's merge fields read for one prospect: `first_name`, `account.name`,
    `sender.first_name`..., as text ("" when unset)."""

    id: int
    values: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        name = " ".join(
            v for v in (self.values.get("first_name"), self.values.get("last_name")) if v
        )
        company = self.values.get("company") or self.values.get("account.name")
        return f"prospect {self.id}" + (
            f" ({name}{', ' + company if company else ''})" if name else ""
        )


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    empty: list[str]
    """Merge fields (in order of appearance) that came out empty for this person."""


def fill(text: str, person: Person) -> tuple[str, list[str]]:
    """`text` with each merge field replaced by the person's value; malformed braces stay as
    they are (a prospect would see them so). Returns the text and the empty fields."""
    out, position, empty = [], 0, []
    for found in mergefields.scan(text):
        if not isinstance(found, mergefields.Variable) or found.offset < position:
            continue
        value = person.values.get(found.name, "")
        out += [text[position : found.offset], value]
        position = found.offset + found.length
        if not value.strip() and found.name not in empty:
            empty.append(found.name)
    out.append(text[position:])
    return "".join(out), empty


def render(template: Template, person: Person) -> Rendered:
    subject, empty_subject = fill(template.spec.subject or "", person)
    body, empty_body = fill(template.spec.bodyHtml or "", person)
    return Rendered(subject, body, list(dict.fromkeys(empty_subject + empty_body)))


def variables(template: Template) -> list[str]:
    """The merge fields of the subject and body, each once, in order."""
    names = mergefields.variables(template.spec.subject) + mergefields.variables(
        template.spec.bodyHtml
    )
    return list(dict.fromkeys(v.name for v in names))


def empty_counts(template: Template, people: list[Person]) -> dict[str, int]:
    """Per merge field: how many of `people` would get an empty value."""
    counts = dict.fromkeys(variables(template), 0)
    for person in people:
        for name in render(template, person).empty:
            counts[name] = counts.get(name, 0) + 1
    return counts
