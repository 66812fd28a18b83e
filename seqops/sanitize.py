"""Strings from an account or a manifest, made inert before they reach a terminal.

A live sequence named `\\x1b[2J` must not clear a reviewer's screen, and a note carrying
`\\x1b]8;;http://evil\\x07` must not plant a hyperlink: escape sequences (CSI, OSC, DCS...,
in their 7-bit and 8-bit forms) go whole, other C0/C1 controls and DEL go, and so do the
bidirectional overrides that make text read in another order than it is written. Newline and
tab stay where a multi-line value is shown (`one_line=False`); elsewhere they become spaces.
"""

from __future__ import annotations

import re

_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: colours, cursor moves, screen clears
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS...
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\n\t]")


def terminal(text: str, *, one_line: bool = False) -> str:
    """`text` without escape sequences or control characters (newline and tab kept unless
    `one_line`, then they become spaces)."""
    if not isinstance(text, str):
        text = str(text)
    clean = _CONTROL.sub("", _SEQUENCE.sub("", text))
    return _LINE_BREAKS.sub(" ", clean) if one_line else clean
