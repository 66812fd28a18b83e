"""An email as the prospect sees it, for the HTML review: merge fields filled from the sample
prospect, the words that changed marked (`<del>` in the old version, `<ins>` in the new), and
the whole made inert before it is framed.

Marking works on the HTML's text only: the markup is split into tags and text, the words of
both versions are compared, and a changed run of words is wrapped where it stands, never across
a tag. Then a well-kept sanitiser (ammonia, through `nh3`) keeps only what an email needs: no
script, style block, event handler, form, `javascript:` link or remote image (an image shows
its alternative text: the review loads nothing), and a `style` attribute that could load
something (`url(...)`, `@import`, `expression(...)`) goes whole. Control characters (bidi
overrides, escape sequences) are stripped first. The frame that shows it (`srcdoc` of a
sandboxed `<iframe>`) carries its own Content-Security-Policy too.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

import nh3

from seqops.preview.fill import Person, fill
from seqops.preview.sample import sample_for
from seqops.render.longtext import words
from seqops.sanitize import terminal

_TOKEN = re.compile(r"<!--.*?(?:-->|$)|<[^>]*>?|[^<]+", re.S)
_WORD = re.compile(r"&[#a-zA-Z0-9]+;|\s+|\w+|[^\w\s]")
_RAW = re.compile(r"<(script|style|title|textarea|head)\b", re.I)
_LOADS = re.compile(
    r"url\s*\(|@import|expression\s*\(|behaviou?r\s*:|-moz-binding|javascript:", re.I
)
_DATA_IMAGE = re.compile(r"^data:image/(png|gif|jpe?g|webp);base64,[A-Za-z0-9+/=\s]+$", re.I)
TAGS = (nh3.ALLOWED_TAGS - {"details", "summary", "map", "area"}) | {"font", "tfoot"}
EVERY = {"style", "align", "valign", "width", "height", "bgcolor", "border", "color", "class"}
ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": EVERY | {"title", "lang", "dir"},
    "table": {"cellpadding", "cellspacing", "summary"},
    "font": {"face", "size"},
}
SCHEMES = {"http", "https", "mailto", "tel"}
"""The schemes a link may use. `data:` passes the sanitiser's scheme check only to reach
`_attribute`, which keeps it in an inline image's `src` and nowhere else."""
_BLANKS = re.compile(r"[\x00-\x20]+")
FRAME_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
FRAME_STYLE = (
    "body{font:15px/1.5 -apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#222;"
    "margin:14px;overflow-wrap:anywhere}img{max-width:100%}"
    "del{background:#ffd7d5;color:#82071e;text-decoration:line-through}"
    "ins{background:#ccffd8;color:#055d20;text-decoration:none}"
    "mark.mf{background:#eef2ff;border-bottom:1px dotted #4b5fc4;color:inherit}"
)
Side = tuple[str | None, str | None]
"""A template version's (subject, bodyHtml)."""
Runs = tuple[tuple[str, str], ...]
"""Text as (kind, text) runs: kind "same", "del" or "ins"."""


@dataclass(frozen=True)
class Rendered:
    """One version of an email as the sample prospect gets it, the changed words marked."""

    subject: Runs
    document: str
    """The inert HTML page a sandboxed frame shows (its `srcdoc`)."""
    lines: int
    """About how many lines of text it holds (to size its frame)."""


def versions(old: Side | None, new: Side | None) -> tuple[Rendered | None, Rendered | None]:
    """The old and new versions of a template, each filled for the sample prospect and with
    the words it lacks or adds marked; a side is None when it does not exist (a created
    template has no old version)."""
    person = sample_for(*(t for side in (old, new) if side for t in side))
    a, b = (_filled(side, person) for side in (old, new))
    old_body, new_body = mark(a[1] if a else None, b[1] if b else None)
    old_subject, new_subject = _subjects(a[0] if a else None, b[0] if b else None)
    return (
        None if a is None else Rendered(old_subject, frame(old_body), _lines(old_body)),
        None if b is None else Rendered(new_subject, frame(new_body), _lines(new_body)),
    )


def _filled(side: Side | None, person: Person) -> tuple[str, str] | None:
    """(subject, body) with merge fields filled: plain text in the subject, a highlighted
    `<mark>` naming the field in the body."""
    if side is None:
        return None
    subject, body = side
    marked = Person(person.id, {k: _highlight(k, v) for k, v in person.values.items()})
    return fill(terminal(subject or "", one_line=True), person)[0], fill(
        terminal(body or ""), marked
    )[0]


def _highlight(name: str, value: str) -> str:
    return f'<mark class="mf" title="{{{{{html.escape(name)}}}}}">{html.escape(value)}</mark>'


def _subjects(old: str | None, new: str | None) -> tuple[Runs, Runs]:
    if old is None or new is None:
        only = ((("same", old or new or ""),),)
        return only[0], only[0]
    left, right = words(old, new)
    return (
        tuple(("del" if changed else "same", text) for changed, text in left),
        tuple(("ins" if changed else "same", text) for changed, text in right),
    )


@dataclass
class _Token:
    text: str
    word: bool
    """A word of visible text (compared and marked); tags, raw text and spaces are not."""
    marked: bool = False


def _tokens(markup: str) -> list[_Token]:
    out: list[_Token] = []
    raw: str | None = None
    for piece in _TOKEN.findall(markup):
        if piece.startswith("<"):
            out.append(_Token(piece, False))
            opened = _RAW.match(piece)
            raw = opened.group(1).lower() if opened and not piece.endswith("/>") else raw
            if raw and piece.lower().startswith(f"</{raw}"):
                raw = None
            continue
        if raw:
            out.append(_Token(piece, False))
            continue
        out += [_Token(w, not w.isspace()) for w in _WORD.findall(piece)]
    return out


def mark(old: str | None, new: str | None) -> tuple[str, str]:
    """Both bodies with the words only one of them has wrapped in `<del>`/`<ins>`."""
    a, b = _tokens(old or ""), _tokens(new or "")
    wa, wb = [t for t in a if t.word], [t for t in b if t.word]
    if old is not None and new is not None:
        matcher = difflib.SequenceMatcher(None, [t.text for t in wa], [t.text for t in wb], False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                for t in wa[i1:i2] + wb[j1:j2]:
                    t.marked = True
    return _wrap(a, "del"), _wrap(b, "ins")


def _wrap(tokens: list[_Token], tag: str) -> str:
    """The tokens joined, each run of marked words (and the spaces between them) wrapped."""
    out, open_ = [], False
    for i, token in enumerate(tokens):
        inside = token.marked or (
            open_ and token.text.isspace() and _next_word_marked(tokens, i + 1)
        )
        if inside and not open_:
            out.append(f"<{tag}>")
        elif not inside and open_:
            out.append(f"</{tag}>")
        open_ = inside
        out.append(token.text)
    return "".join(out) + (f"</{tag}>" if open_ else "")


def _next_word_marked(tokens: list[_Token], start: int) -> bool:
    for token in tokens[start:]:
        if token.word:
            return token.marked
        if not token.text.isspace():
            return False  # a tag between: the run ends here
    return False


def sanitized(markup: str) -> str:
    """`markup` with nothing that runs, loads or escapes its frame (see the module doc)."""
    return nh3.clean(
        terminal(markup),
        tags=TAGS,
        clean_content_tags={"script", "style", "title", "textarea", "head", "template"},
        attributes=ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes=SCHEMES | {"data"},
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
    )


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name == "style" and _LOADS.search(value):
        return None
    if tag == "img" and name == "src":
        # an inline image shows as the prospect sees it; nothing is fetched: a remote one
        # shows its alt text
        return value if _DATA_IMAGE.match(value) else None
    if _BLANKS.sub("", value).lower().startswith("data:"):
        return None  # a data: link or any other data: URL
    return value


def frame(body: str) -> str:
    """The document of a sandboxed frame: the sanitised body, its own policy and styles."""
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{FRAME_POLICY}">'
        f"<style>{FRAME_STYLE}</style></head><body>{sanitized(body)}</body></html>"
    )


def _lines(body: str) -> int:
    blocks = len(re.findall(r"</(?:p|div|li|tr|h[1-6])>|<br", body, re.I))
    return max(3, blocks + len(re.sub(r"<[^>]*>", "", body)) // 80)
