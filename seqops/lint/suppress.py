"""Inline suppression: `# seqops-lint: disable=RULE-ID[,RULE-ID...]` (or `disable=all`).

- at the end of a line: findings on that line, or inside the value whose key is on it (a
  comment after `bodyHtml: |` covers the whole body);
- on its own line, indented: the next line that is not a comment;
- on its own line at the start of a line (document level): the whole YAML document it is in.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

DIRECTIVE = re.compile(r"(?:^|\s)#\s*seqops-lint:\s*disable\s*=\s*([\w/*,\s-]*[\w*])")
ALL = "all"
MARK = "seqops-lint"
"""Files without it (nearly all) are not read line by line."""


class Directive(NamedTuple):
    line: int
    column: int
    ids: frozenset[str]


@dataclass
class Suppressions:
    by_line: dict[int, set[str]] = field(default_factory=dict)
    by_document: dict[int, set[str]] = field(default_factory=dict)
    separators: list[int] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)

    def covers(self, rule_id: str, *lines: int) -> bool:
        for line in lines:
            ids = self.by_line.get(line, set()) | self.by_document.get(self.document(line), set())
            if rule_id in ids or ALL in ids:
                return True
        return False

    def document(self, line: int) -> int:
        return bisect.bisect_right(self.separators, line)


def read(lines: list[str]) -> Suppressions:
    found = Suppressions()
    found.separators = [n for n, text in enumerate(lines, 1) if text.startswith("---")]
    for number, text in enumerate(lines, 1):
        match = DIRECTIVE.search(text)
        if match is None:
            continue
        ids = frozenset(part.strip() for part in match.group(1).split(",") if part.strip())
        column = match.start() + 1 + (match.group().find("#"))
        found.directives.append(Directive(number, column, ids))
        stripped = text.lstrip()
        if not stripped.startswith("#"):
            found.by_line.setdefault(number, set()).update(ids)
        elif stripped == text:
            found.by_document.setdefault(found.document(number), set()).update(ids)
        else:
            found.by_line.setdefault(_next_content(lines, number), set()).update(ids)
    return found


def _next_content(lines: list[str], number: int) -> int:
    for following in range(number + 1, len(lines) + 1):
        text = lines[following - 1].strip()
        if text and not text.startswith("#"):
            return following
    return number


def unknown(found: Suppressions, known: set[str]) -> Iterator[tuple[Directive, str]]:
    for directive in found.directives:
        for rule_id in sorted(directive.ids - known - {ALL}):
            yield directive, rule_id
