"""An email body as the words a prospect reads, and a change of it with the changed words
marked: what a reviewer reads instead of `<p>` source.

The HTML becomes paragraphs of plain text (block elements and `<br>` end a paragraph; scripts,
styles and comments are dropped; an image is `[image: alt]`; a link keeps its address after its
text). Two versions are compared word by word across the whole text, so an edit that moves a
line break still marks only the words that changed; unchanged paragraphs far from any change
fold into a gap.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from seqops.sanitize import terminal

BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "footer"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p"}
    | {"pre", "section", "table", "td", "th", "tr", "ul"}
)
HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})
BREAK = "\n"
CONTEXT = 1
_TOKENS = re.compile(r"\n|[^\S\n]+|\w+|[^\w\s]")
_SPACES = re.compile(r"[^\S\n]+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self.parts.append(BREAK)
        elif tag == "img":
            alt = dict(attrs).get("alt")
            self.parts.append(f"[image: {alt}]" if alt else "[image]")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.parts.append(BREAK)
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and re.match(r"(?i)(https?|mailto):", href) and href not in self.parts[-1:]:
                self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data.replace("\n", " "))


def paragraphs(html: str | None) -> list[str]:
    """The body's text, one string per paragraph, whitespace collapsed, no control characters."""
    if not html:
        return []
    parser = _Text()
    parser.feed(terminal(str(html)))
    parser.close()
    text = "".join(parser.parts)
    return [p for p in (_SPACES.sub(" ", line).strip() for line in text.split(BREAK)) if p]


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph: `kind` is "same", "del" (only in the old text) or "ins"."""

    kind: str
    text: str


Paragraph = tuple[Run, ...]


def marked(old: str | None, new: str | None) -> list[Paragraph | None]:
    """The new text's paragraphs with the words removed (`del`) and added (`ins`) in place;
    None stands for unchanged paragraphs left out (more than `CONTEXT` from a change)."""
    a = _tokens(paragraphs(old))
    b = _tokens(paragraphs(new))
    runs: list[Run] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(Run("same", "".join(a[i1:i2])))
            continue
        gone, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if not added.strip():
            # words only removed: struck where they stood, their spaces and breaks kept
            runs += _runs("del", gone)
            runs += [Run("same", BREAK)] if BREAK in added else []
            continue
        if replaced := gone.replace(BREAK, " ").strip():
            runs.append(Run("del", replaced))
        runs += _runs("ins", added)
    return _fold(_split(runs))


def _tokens(paras: list[str]) -> list[str]:
    return _TOKENS.findall(BREAK.join(paras))


def _runs(kind: str, text: str) -> list[Run]:
    """Inserted or removed text marked `kind`, its paragraph breaks kept as breaks (never
    inside a marked run) and its edge spaces unmarked."""
    out: list[Run] = []
    for i, piece in enumerate(text.split(BREAK)):
        if i:
            out.append(Run("same", BREAK))
        if piece.strip():
            out += _edged(kind, piece)
        elif piece:
            out.append(Run("same", piece))
    return out


def _edged(kind: str, text: str) -> list[Run]:
    """A marked run with its leading and trailing spaces left unmarked."""
    core = text.strip()
    start = text.index(core)
    edges = [Run("same", text[:start]), Run(kind, core), Run("same", text[start + len(core) :])]
    return [r for r in edges if r.text]


def _split(runs: list[Run]) -> list[Paragraph]:
    paras: list[list[Run]] = [[]]
    for run in runs:
        pieces = run.text.split(BREAK) if run.kind == "same" else [run.text]
        for i, piece in enumerate(pieces):
            if i:
                paras.append([])
            if piece:
                paras[-1].append(Run(run.kind, piece))
    return [tuple(p) for p in paras if any(r.text.strip() for r in p)]


def _fold(paras: list[Paragraph]) -> list[Paragraph | None]:
    changed = [i for i, p in enumerate(paras) if any(r.kind != "same" for r in p)]
    if not changed:
        return list(paras)
    keep = {i for c in changed for i in range(c - CONTEXT, c + CONTEXT + 1)}
    out: list[Paragraph | None] = []
    for i, para in enumerate(paras):
        if i in keep:
            out.append(para)
        elif not out or out[-1] is not None:
            out.append(None)
    return out


def changed(old: str | None, new: str | None) -> bool:
    """Whether the words a prospect reads differ (not only the markup)."""
    return paragraphs(old) != paragraphs(new)
