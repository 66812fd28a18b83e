"""Plan lines fitted to the terminal: wrapped between words, never inside one, each
continuation indented under the text of its own line (two more than the line's indent), so a
plan read at 80 columns stays a list of changes.

Works on rich `Text` (the text renderer's markup, parsed) with rich's public API: cell widths
(`rich.cells`) and `Text.divide`, so colours carry over to the wrapped pieces.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

HANG = 2


def fitted(markup: str, width: int) -> list[Text]:
    """Every line of `markup` (console markup), wrapped to `width` cells."""
    out: list[Text] = []
    for line in markup.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        out += _wrapped(Text.from_markup(line[indent:]), indent, width)
    return out


def _wrapped(body: Text, indent: int, width: int) -> list[Text]:
    room = max(20, width - indent)
    offsets = breaks(body.plain, room, room - HANG)
    pieces = body.divide(offsets) if offsets else [body]
    out = []
    for n, piece in enumerate(pieces):
        text = piece[1:] if n and piece.plain.startswith(" ") else piece
        out.append(Text(" " * (indent + (HANG if n else 0))) + text)
    return out


def breaks(plain: str, first: int, rest: int) -> list[int]:
    """Where to cut `plain` so the first piece fits `first` cells and the others `rest`: at the
    last space that fits; a single word longer than a line is cut where it must be."""
    offsets: list[int] = []
    start, room = 0, first
    while cell_len(plain[start:]) > room:
        end = _fitting(plain, start, room)
        space = plain.rfind(" ", start + 1, end + 1)
        cut = space if space > start else end
        offsets.append(cut)
        start, room = cut, rest + (1 if plain[cut : cut + 1] == " " else 0)
    return offsets


def _fitting(plain: str, start: int, room: int) -> int:
    """The largest end such that plain[start:end] fits in `room` cells."""
    end, used = start, 0
    while end < len(plain) and used + cell_len(plain[end]) <= room:
        used += cell_len(plain[end])
        end += 1
    return max(end, start + 1)
