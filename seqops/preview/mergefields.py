"""Merge fields in template text: the grammar seqops understands, and the known variables.

Grammar: `{{ NAME }}` where NAME is `field` (a prospect attribute), `account.field` (the
prospect's account) or `sender.field` (the user who sends), each field lowercase snake_case
(`first_name`, `account.name`, `sender.phone_number`); spaces inside the braces are allowed.
Anything else between `{{` and `}}` is malformed, as is a `{{` never closed and a `}}` never
opened. Outreach has no spintax: `{{Hi|Hey}}` (and `{Hi|Hey}`, see `single_braces`) reaches
the prospect as written.

The variables are the attributes of Outreach's OpenAPI description that Outreach fills in
templates (`tools/derive_merge_fields.py` writes `data/merge_fields.json`), plus the custom
fields `seqops.yaml` declares. Other tools' spellings (`{{firstName}}`, HubSpot's
`{{contact.firstname}}`, `{{customField3}}`) are translated into a did-you-mean.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

NAME = re.compile(r"\s*([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\s*")
_SINGLE = re.compile(r"\{(?<!\{\{)(?!\{)([^{}\n]{1,80})\}(?!\})")
"""A single `{`...`}`: led by the brace itself, so that `re` skips to each `{` at C speed."""
THREAD = ("previous_subject",)
"""Not an attribute: Outreach fills it with the subject of the thread a reply continues."""
COMPUTED = (*THREAD, "email")
"""Variables Outreach computes rather than reads from one attribute (`email`: the prospect's
first address of `emails`)."""


class Variable(NamedTuple):
    name: str
    offset: int
    length: int


class Malformed(NamedTuple):
    message: str
    offset: int
    length: int


class Spintax(NamedTuple):
    """`{a|b}` or `{{a|b}}`: alternatives Outreach does not pick from."""

    written: str
    offset: int
    length: int

    @property
    def message(self) -> str:
        return (
            f"`{self.written}` is spintax: Outreach has none and sends it as written; "
            "pick one wording"
        )


Found = Variable | Malformed | Spintax


@lru_cache(maxsize=8192)
def scan(text: str) -> tuple[Found, ...]:
    """Every double-brace merge field of `text` and every malformed one (rules ask, once)."""
    return tuple(_scan(text)) if "{{" in text or "}}" in text else ()


def _scan(text: str) -> Iterator[Found]:
    position = 0
    while True:
        opening, closing = text.find("{{", position), text.find("}}", position)
        if closing != -1 and (opening == -1 or closing < opening):
            yield Malformed("`}}` without a matching `{{`", *_lone_close(text, closing))
            position = closing + 2
            continue
        if opening == -1:
            break
        end, following = text.find("}}", opening + 2), text.find("{{", opening + 2)
        if end == -1 or (following != -1 and following < end):
            yield Malformed("`{{` is never closed with `}}`", opening, 2)
            position = opening + 2
            continue
        yield _field(text, opening, end)
        position = end + 2


def single_braces(text: str) -> Iterator[Malformed | Spintax]:
    """`{first_name}`, `{industry/vertical}`, `{Hi|Hey}`: single braces Outreach never fills.
    For visible text only: CSS is full of them."""
    if "{" not in text:
        return
    for match in _SINGLE.finditer(text):
        inner, written = match.group(1), match.group()
        if "|" in inner:
            yield Spintax(written, match.start(), len(written))
            continue
        guess = suggestion(inner.lstrip("!"), frozenset())  # Salesforce's `{!Contact.Name}`
        hint = f": did you mean {{{{{guess}}}}}?" if guess else ""
        yield Malformed(
            f"`{written}` is sent as written: Outreach fills only merge fields in double "
            f"braces ({{{{name}}}}){hint}",
            match.start(),
            len(written),
        )


_FOREIGN = re.compile(r"\*\|([A-Za-z][\w:]*)\|\*|%([A-Za-z][A-Za-z0-9_.]{2,})%")
"""Other tools' merge tags: Mailchimp's `*|FNAME|*`, and `%FIRST_NAME%` (Lemlist, Woodpecker,
Mailshake and many mail-merge add-ons). Three characters at least between the `%`s, so that
percent-encoded text (`%E2%80%99`) is not one."""


def foreign_tags(text: str) -> Iterator[Malformed]:
    """Other tools' merge tags in `text`, which Outreach sends as written."""
    if "*|" not in text and "%" not in text:
        return
    for match in _FOREIGN.finditer(text):
        guess = suggestion(match.group(1) or match.group(2), frozenset())
        hint = f": write {{{{{guess}}}}}" if guess else ": write a merge field as {{name}}"
        yield Malformed(
            f"`{match.group()}` is another tool's merge tag: Outreach sends it as written{hint}",
            match.start(),
            len(match.group()),
        )


def variables(text: str | None) -> list[Variable]:
    return [found for found in scan(text or "") if isinstance(found, Variable)]


def _field(text: str, opening: int, end: int) -> Found:
    inner, length = text[opening + 2 : end], end + 2 - opening
    written = text[opening : end + 2]
    match = NAME.fullmatch(inner)
    if match:
        return Variable(match.group(1), opening, length)
    if not inner.strip():
        return Malformed("empty merge field `{{}}`", opening, length)
    if "|" in inner:
        first = inner.split("|")[0]
        if not suggestion(first, frozenset()):
            return Spintax(written, opening, length)
        return Malformed(
            f"`{written}`: Outreach merge fields have no fallback value after `|`; "
            f"write {{{{{suggestion(first, frozenset())}}}}}",
            opening,
            length,
        )
    guess = suggestion(inner, frozenset())
    hint = (
        f"did you mean {{{{{guess}}}}}?"
        if guess
        else "write `{{name}}`, `{{account.name}}` or `{{sender.name}}` in lowercase snake_case"
    )
    return Malformed(f"`{written}` is not a merge field: {hint}", opening, length)


def _lone_close(text: str, closing: int) -> tuple[int, int]:
    """Point at `{first_name}}` from its single `{` when there is one on the same word."""
    start = text.rfind("{", 0, closing)
    if start != -1 and re.fullmatch(r"\{\s*[\w.]*\s*", text[start:closing]):
        return start, closing + 2 - start
    return closing, 2


@cache
def known() -> frozenset[str]:
    data = json.loads(
        resources.files("seqops.preview").joinpath("data/merge_fields.json").read_text()
    )
    return frozenset(name for names in data.values() for name in names) | frozenset(COMPUTED)


SCOPES = {
    **dict.fromkeys(["contact", "prospect", "lead", "person", "recipient", "to"], ""),
    **dict.fromkeys(["account", "company", "organization", "organisation", "org"], "account."),
    **dict.fromkeys(["sender", "owner", "user", "rep", "me", "from"], "sender."),
}
"""Other tools' objects -> Outreach's prefix (HubSpot `contact.`, `company.`, `owner.`...)."""
ALIASES = {
    "firstname": "first_name",
    "fname": "first_name",
    "lastname": "last_name",
    "lname": "last_name",
    "fullname": "name",
    "full_name": "name",
    "jobtitle": "title",
    "job_title": "title",
    "companyname": "account.name",
    "company_name": "account.name",
    "email_address": "email",
    "emailaddress": "email",
    "phone": "phone_number",
    "website": "website_url",
    "linkedin": "linked_in_url",
    "linkedin_url": "linked_in_url",
    "city": "address_city",
    "state": "address_state",
    "country": "address_country",
}
_CUSTOM = re.compile(r"custom_?field_?(\d+)|custom_?(\d+)")


def translated(written: str) -> str:
    """Another tool's spelling as Outreach's: `contact.firstName` -> `first_name`,
    `company.name` -> `account.name`, `customField3` -> `custom3`."""
    parts = [_snake(part) for part in written.strip().split(".") if part.strip()]
    if not parts:
        return ""
    scope = SCOPES.get(parts[0]) if len(parts) > 1 else ""
    field = parts[-1]
    field = ALIASES.get(field, field)
    custom = _CUSTOM.fullmatch(field)
    if custom:
        field = f"custom{custom.group(1) or custom.group(2)}"
    if "." in field:
        return field
    return (scope if scope is not None else parts[0] + ".") + field


def _snake(part: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", part.strip())
    return re.sub(r"[\s-]+", "_", spaced).lower()


ABSENT = {
    "unsubscribe": "Outreach has no unsubscribe variable: set includeUnsubscribeLinks: true "
    "on the sequence's ruleset, or link your own preferences page",
    "opt_out": "Outreach has no opt-out variable: set includeUnsubscribeLinks: true on the "
    "sequence's ruleset, or link your own preferences page",
    "calendar": "Outreach has no calendar variable: link the booking page itself, or keep it "
    "in a custom field (lint.customFields)",
    "meeting": "Outreach has no meeting-link variable: link the booking page itself, or keep "
    "it in a custom field (lint.customFields)",
}
"""What people expect a variable for and Outreach does not have, by a word of its name."""


def absent_hint(name: str) -> str | None:
    return next((hint for word, hint in ABSENT.items() if word in name), None)


def suggestion(name: str, custom: frozenset[str]) -> str | None:
    """The known variable `name` most likely meant, if any is close."""
    if not re.fullmatch(r"[\w. -]+", name.strip()):
        return None
    wanted = translated(name)
    for guess in (wanted, name.strip().lower().replace(" ", "_")):
        if guess in known() or guess in custom:
            return guess
    pool = _named() if "cust" not in wanted else _every()
    close = difflib.get_close_matches(wanted, [*pool, *sorted(custom)], n=1, cutoff=0.75)
    return close[0] if close else None


_NUMBERED = re.compile(r"(?:\w+\.)?custom\d+")


@cache
def _every() -> tuple[str, ...]:
    return tuple(sorted(known()))


@cache
def _named() -> tuple[str, ...]:
    """The variables but the 300 numbered custom fields, the pool a name without "cust" is
    compared with (difflib's cost is the pool's size; `custom3`-like names get `_CUSTOM`)."""
    return tuple(name for name in _every() if not _NUMBERED.fullmatch(name))
