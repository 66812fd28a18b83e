"""Keep a Markdown plan under GitHub's comment limit by folding its largest sections.

GitHub refuses a comment body over 65,536 characters (counted as UTF-16 code units, so an
emoji counts two). A plan that would exceed the budget keeps its header and summary, and has
its largest sections replaced by their one-line folded form until it fits; if even the folded
lines do not fit, the last ones are dropped and counted. The result says what it folded.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

GITHUB_COMMENT_LIMIT = 65_536
DEFAULT_BUDGET = GITHUB_COMMENT_LIMIT - 1_536
"""Room left for what CI adds around the plan (a hidden marker, a footer with links)."""
NOTE_ROOM = 400


def size(text: str) -> int:
    """Length as GitHub counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Section:
    full: str
    folded: str
    """The section reduced to its title line and a pointer to the full plan."""


def fit(head: list[str], sections: list[Section], tail: list[str], budget: int) -> str:
    """`head`, the sections and `tail` joined by blank lines, within `budget` characters."""
    chosen = [s.full for s in sections]
    fixed = sum(size(part) + 2 for part in head + tail)
    total = fixed + sum(size(text) + 2 for text in chosen)
    if total <= budget:
        return _join(head, chosen, tail)
    folded = _fold_largest(sections, chosen, total - (budget - NOTE_ROOM))
    dropped = _drop_tail(chosen, fixed + sum(size(t) + 2 for t in chosen), budget - NOTE_ROOM)
    note = _note(folded, dropped, len(sections), budget)
    return _join([*head, note], chosen, tail)


def _fold_largest(sections: list[Section], chosen: list[str], excess: int) -> int:
    """Fold sections, largest first, until `excess` characters are saved; how many folded."""
    heap = [(-size(s.full), i) for i, s in enumerate(sections)]
    heapq.heapify(heap)
    count = 0
    while excess > 0 and heap:
        _, i = heapq.heappop(heap)
        saved = size(sections[i].full) - size(sections[i].folded)
        if saved <= 0:
            continue
        chosen[i] = sections[i].folded
        excess -= saved
        count += 1
    return count


def _drop_tail(chosen: list[str], total: int, budget: int) -> int:
    dropped = 0
    while chosen and total > budget:
        total -= size(chosen.pop()) + 2
        dropped += 1
    if dropped:
        chosen.append(f"_…and {dropped} more changes, not listed here: see the full plan._")
    return dropped


def _note(folded: int, dropped: int, total: int, budget: int) -> str:
    what = f"{folded} of {total} sections were folded (largest first)"
    if dropped:
        what += f" and {dropped} left out"
    return (
        f"> 📎 **This plan is too long for one GitHub comment**: {what} to stay under GitHub's "
        f"{GITHUB_COMMENT_LIMIT:,}-character limit. Run `seqops plan` or open the plan file "
        "(the CI artifact) for every diff."
    )


def _join(head: list[str], body: list[str], tail: list[str]) -> str:
    return "\n\n".join([*head, *body, *tail]) + "\n"
