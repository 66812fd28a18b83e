"""Case-insensitive patterns that `re` can run fast: on the text's lowercase, where that finds
exactly what `re.IGNORECASE` finds on the text.

Python's `re` cannot skip ahead under `re.IGNORECASE`: a pattern such as `unsubscrib...|opt
out...` is tried at every position of the text, about 150 ns a character. Compiled without
the flag and run on `text.lower()`, `re` skips to the characters the pattern can start with.
Both find the same spans when the pattern's letters are lowercase ASCII and the text holds
none of `SPECIAL`: `str.lower()` then keeps every offset (only U+0130 lowers to two
characters), turns into an ASCII letter only that letter's capital (and the Kelvin sign,
which `re.IGNORECASE` takes for `k` as well), and changes no character's class for `\\s`,
`\\w` or `\\b`. `tests/lint/test_caseless.py` checks these facts on every code point.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property

SPECIAL = ("\u0130", "\u0131", "\u017f")
"""Capital I with dot, dotless i and long s: `re.IGNORECASE` takes them for `i`, `i` and `s`;
`str.lower()` does not (and lowers the first to two characters)."""


class Caseless:
    """A pattern matched without regard to case (`pattern` written in lowercase)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.lower = re.compile(pattern)

    @cached_property
    def exact(self) -> re.Pattern[str]:
        """Compiled on first use: most texts never hold a `SPECIAL` character."""
        return re.compile(self.pattern, re.IGNORECASE)

    def found(self, text: str) -> bool:
        """Whether the pattern matches somewhere in `text`."""
        if _plain(text):
            return self.lower.search(text.lower()) is not None
        return self.exact.search(text) is not None

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of every match, as `re.finditer` gives them."""
        if _plain(text):
            return (match.span() for match in self.lower.finditer(text.lower()))
        return (match.span() for match in self.exact.finditer(text))


def _plain(text: str) -> bool:
    return not any(char in text for char in SPECIAL)
