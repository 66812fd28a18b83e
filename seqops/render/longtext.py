"""Long text (email bodies, subjects, notes, descriptions) shown as a line diff, never cut.

A value is *long* when it spans lines or would not fit beside its field name; its change is
then shown as `-`/`+` lines with a few lines of context, and within a changed line the words
that differ are marked, so a one-word edit in a 2 KB body is seen, not two identical
80-character prefixes. HTML bodies are split after block tags so a paragraph is a line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

INLINE_LIMIT = 60
"""Longer single-line strings get a diff block instead of `old → new` on one line."""
CONTEXT = 2
_BLOCK_END = re.compile(r"(</(?:p|div|li|ul|ol|h[1-6]|tr|table|blockquote)>|<br\s*/?>)", re.I)
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def is_long(old: Any, new: Any) -> bool:
    """Whether a change from `old` to `new` reads better as a line diff than on one line."""
    texts = [v for v in (old, new) if v is not None]
    if not texts or not all(isinstance(v, str) for v in texts):
        return False
    return any("\n" in v or len(v) > INLINE_LIMIT or len(lines(v)) > 1 for v in texts)


def lines(text: Any) -> list[str]:
    """The lines of `text`; an HTML body breaks after each block element."""
    if not text:
        return []
    return [line for line in _BLOCK_END.sub(r"\1\n", str(text)).splitlines() if line.strip()]


@dataclass(frozen=True)
class Line:
    """One line of a diff: `mark` is ' ' (context), '-', '+' or '@' (a gap of skipped lines).
    `words` splits it into (changed, text) runs, the changed words of a `-`/`+` pair."""

    mark: str
    text: str
    words: tuple[tuple[bool, str], ...] = ()


def diff(old: Any, new: Any, context: int = CONTEXT) -> list[Line]:
    """The changed lines of `old` -> `new` with `context` lines around them."""
    a, b = lines(old), lines(new)
    out: list[Line] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if out:
            out.append(Line("@", "…"))
        for tag, i1, i2, j1, j2 in group:
            out += _lines(tag, a[i1:i2], b[j1:j2])
    return out


def _lines(tag: str, old: list[str], new: list[str]) -> list[Line]:
    if tag == "equal":
        return [Line(" ", text) for text in old]
    if tag == "replace" and len(old) == len(new):
        pairs = [(o, n, *words(o, n)) for o, n in zip(old, new, strict=True)]
        return [Line("-", o, w) for o, _, w, _ in pairs] + [Line("+", n, w) for _, n, _, w in pairs]
    return [Line("-", text) for text in old] + [Line("+", text) for text in new]


def words(old: str, new: str) -> tuple[tuple[tuple[bool, str], ...], tuple[tuple[bool, str], ...]]:
    """`old` and `new` as runs of (changed, text): the words one has and the other lacks."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    left: list[tuple[bool, str]] = []
    right: list[tuple[bool, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        left.append((tag != "equal", "".join(a[i1:i2])))
        right.append((tag != "equal", "".join(b[j1:j2])))
    return tuple(r for r in left if r[1]), tuple(r for r in right if r[1])


def unified(old: Any, new: Any) -> str:
    """The diff as plain `-`/`+`/` ` lines (a Markdown ```diff block's content)."""
    return "\n".join(
        f"@@ {line.text} @@" if line.mark == "@" else f"{line.mark}{line.text}"
        for line in diff(old, new)
    )
