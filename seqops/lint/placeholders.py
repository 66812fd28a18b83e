"""Text a draft left behind: bracketed hints (`[Client Name]`, `[BOOKING_LINK]`), stand-in
identities and numbers (`XYZ Construction Solutions`, `+123-456-789`, `555-0100`), filler
Latin, and the reserved example domains. Each finder returns (offset, length, message) in the
text it is given; the rules give it a subject or one visible text segment of a body.

Brackets are judged by their content, since people do send real bracketed text: `[1]` (a
footnote), `[sic]`, `[Webinar]` or `[Case Study]` tagging a subject. A bracket is a hint when
its content is written as one (lowercase, `SNAKE_CASE`, `a/b` alternatives, an instruction
such as "insert", "your" or "e.g."), or names what a merge field or a real value would hold
(`Name`, `Company`, `Date`, `Link`...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

Found = tuple[int, int, str]
"""(offset, length, message)."""


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text`: long word lists read better as prose."""
    return frozenset(text.split())


BRACKET = re.compile(r"\[\[?([^\[\]\n]{0,80}?)\]\]?(?!\()")
_HINT_WORDS = words(
    """name names firstname lastname company companies client customer prospect contact
    recipient title role position industry vertical niche competitor competitors city
    location region country state date time day weekday month year number amount price
    percent percentage metric stat url link links website site calendar booking phone email
    address signature logo venue topic connection colleague referral referrer manager
    point problem challenge goal benefit outcome initiative x n y z xx xxx"""
)
"""What the last word of a hint names: the value that belongs there."""
_INSTRUCTIONS = re.compile(
    r"(?i)^(?:insert|add|enter|your|their|his|her|put|paste|replace|include|mention|"
    r"choose|pick|describe|fill|customi[sz]e|personali[sz]e|specific|relevant|recent|"
    r"e\.?g\.?|ex:|example|placeholder|tbd|todo|something|some|name of|number of|link to)\b"
)
_REAL = frozenset(["sic", "at", "dot", "pdf", "video", "audio", "gif", "edit", "ad", "en"])
"""Lowercase bracketed words people do write: `[sic]`, `name [at] acme [dot] io`, `[pdf]`."""
_ENUMERATION = re.compile(r"^(?:\d+|[a-z]|[ivx]+)$")
"""`[1]`, `[a]`, `[iv]`: footnotes and list markers."""


def mentions(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` holds any of `words` (lowercase), in any case: a cheap first look that
    spares the precise patterns nearly every text."""
    lowered = lowercase(text)
    return any(word in lowered for word in words)


@lru_cache(maxsize=64)
def lowercase(text: str) -> str:
    """`text.lower()`, once for the several first looks a body gets."""
    return text.lower()


def brackets(text: str) -> Iterator[Found]:
    if "[" not in text:
        return
    for match in BRACKET.finditer(text):
        if is_hint(match.group(1)):
            yield (
                match.start(),
                len(match.group()),
                f"placeholder {match.group()!r} left in the text",
            )


def is_hint(content: str) -> bool:
    """Whether bracketed `content` is a hint for the writer rather than text for the reader."""
    text = content.strip()
    letters = re.sub(r"[^A-Za-z]", "", text)
    if not letters:
        return not re.fullmatch(r"\d+", text)  # `[...]`, `[ ]`, `[#]`; not `[1]`
    if _ENUMERATION.fullmatch(text) or text.lower() in _REAL:
        return False
    if "_" in text or re.search(r"[A-Za-z]\s*/\s*[A-Za-z]", text) or _INSTRUCTIONS.match(text):
        return True
    if text[0].islower():
        return True
    words = re.findall(r"[A-Za-z]+", text)
    return words[-1].lower().rstrip("s") in _HINT_WORDS or words[-1].lower() in _HINT_WORDS


PARENTHESES = re.compile(r"(?<![\w(])\(([A-Za-z][A-Za-z _/-]{0,38}[A-Za-z])\)(?![\w(])")
_PAREN_INSTRUCTIONS = re.compile(
    r"(?i)^(?:insert|add|enter|paste|fill in|replace with|name of|link to|placeholder|tbd)\b"
)
"""Narrower than `_INSTRUCTIONS`: "(your call)", "(e.g. Acme)" and "(some of them)" are prose."""


def parentheses(text: str) -> Iterator[Found]:
    """`(date)`, `(company name)`, `(INSERT LINK)`: a parenthesis holding only what belongs
    there, or an instruction to put it there."""
    if "(" not in text:
        return
    for match in PARENTHESES.finditer(text):
        if _names_a_value(match.group(1)):
            message = f"placeholder {match.group()!r} left in the text"
            yield match.start(), len(match.group()), message


def _names_a_value(content: str) -> bool:
    found = re.findall(r"[A-Za-z]+", content)
    if _PAREN_INSTRUCTIONS.match(content):
        return True
    if not (content.islower() or content.isupper() or content.istitle()):
        return False
    return all(_HINT_WORDS.intersection((w.lower(), w.lower().removesuffix("s"))) for w in found)


UNKNOWN_TAG_HINT = "is not an HTML element: mail clients hide it, so the reader sees nothing"

_STAND_INS = [
    (
        re.compile(
            r"\bXYZ\b(?:[ \t]+(?:[A-Z][A-Za-z'-]*|&amp;|&))*"
            r"|\bABC[ \t]+(?:Company|Corp(?:oration)?|Inc|Ltd|LLC|Co|Group|Industries|Solutions"
            r"|Construction|Manufacturing|Logistics|Enterprises|Holdings|Agency|Consulting)\b\.?"
            r"|\b(?:Company|Client|Customer|Brand|Business)[ \t]+(?:XYZ|ABC|X|Y|Z)\b"
            r"|\b(?:John|Jane)[ \t]+Doe\b|\bFirstname[ \t]+Lastname\b"
        ),
        "stand-in name {!r}",
    ),
    (
        re.compile(
            r"(?i)\b(?:name|yourname|your\.name|firstname|first\.last|email|you|user|username|"
            r"john\.doe|jane\.doe)@(?:company|domain|email|yourcompany|mycompany|business|"
            r"yourdomain|website)\.(?:com|io|net)\b"
        ),
        "stand-in address {!r}",
    ),
    (re.compile(r"\b123 Main St(?:reet|\.)?|\bAnytown\b|\bStreet Name\b"), "stand-in address {!r}"),
    (
        re.compile(
            r"(?<![\w$])(?:\$\s?X+(?:[,.]X+)*|X{1,3}\s?%)(?![\w%])"
            r"|(?<![\w$.,-])X{1,3}(?:,X{3})+(?![\w,])"
        ),
        "stand-in number {!r}",
    ),
]
_PHONE = re.compile(
    r"(?<![\w+.,/-])\+?\(?\d{1,5}\)?(?:[ .-]\(?\d{2,6}\)?){1,4}(?![\w/-])"
    r"|(?i:\(?x{3}\)?[ .-]x{3}[ .-]x{4})"
)
"""Something written like a phone number: digit groups with separators (dates and amounts
are told apart by their digits, see `is_fake_phone`)."""


_STAND_IN_WORDS = ("xyz", "abc", "doe", "firstname", "@", "main st", "anytown", "street name")
_LETTER_NAMED = re.compile(r"\b(?:Company|Client|Customer|Brand|Business)[ \t]+[XYZA]\b")
"""`Company X`: the first look for the stand-in names that hold none of those words."""
_NUMBER_WORDS = ("$", "%", "xx", "yy")
_DIGITS = (re.compile(r"\d[\d .()-]{5,}\d"), re.compile("[xX][xX][xX]"))
"""What a phone number needs (`_PHONE`): one pattern per leading character class, so that
`re` skips to candidates at C speed rather than trying both at every position."""


def stand_ins(text: str) -> Iterator[Found]:
    for finder in stand_in_finders(text):
        yield from finder(text)


def stand_in_finders(text: str) -> list[Callable[[str], Iterator[Found]]]:
    """The stand-in finders worth running on parts of `text` (a whole body)."""
    found: list[Callable[[str], Iterator[Found]]] = []
    if mentions(text, _STAND_IN_WORDS + _NUMBER_WORDS) or _LETTER_NAMED.search(text):
        found.append(_named_stand_ins)
    if any(pattern.search(text) for pattern in _DIGITS):
        found.append(_phones)
    return found


_COUNT = re.compile(r"(?<![\w$.,-])(?:XX|YY)(?=[ \t]+[a-z])")
"""`XX active users`, `YY projects`: a count the writer meant to look up."""
_TITLED = re.compile(r"[A-Z][\w'-]*[ \t]+$")
"""A capitalised word just before: `Super Bowl XX was` is a numeral in a name."""


def _named_stand_ins(text: str) -> Iterator[Found]:
    for pattern, message in _STAND_INS:
        for match in pattern.finditer(text):
            yield match.start(), len(match.group()), message.format(match.group().strip())
    for match in _COUNT.finditer(text):
        if not _TITLED.search(text, max(0, match.start() - 40), match.start()):
            yield match.start(), 2, f"stand-in number {match.group()!r}"


def _phones(text: str) -> Iterator[Found]:
    for match in _PHONE.finditer(text):
        if is_fake_phone(match.group()):
            yield match.start(), len(match.group()), f"stand-in phone number {match.group()!r}"


def is_fake_phone(written: str) -> bool:
    """Digits no real line has: 123-456..., one digit repeated, a 555 exchange, x's."""
    if "x" in written.lower():
        return True
    digits = re.sub(r"\D", "", written)
    if not 7 <= len(digits) <= 15 or re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", written):
        return False  # not a phone number's length, or an amount (1.234.567)
    national = digits[1:] if len(digits) == 11 and digits[0] == "1" else digits
    return (
        _is_uk_drama_number(digits)
        or "123456" in digits
        or len(set(national)) == 1
        or national[:3] == "555"
        or national[3:6] == "555"
        or (len(national) == 7 and national.startswith("555"))
    )


_UK_DRAMA = (
    "01632960", "0113496", "0114496", "0115496", "0116496", "0117496", "0118496", "0121496",
    "0131496", "0141496", "0151496", "0161496", "02079460", "02896496", "02920180",
    "07700900", "08081570", "09098790", "03069990",
)  # fmt: skip
"""The UK numbers Ofcom keeps for fiction (as the US keeps 555-01xx): no line answers them."""


def _is_uk_drama_number(digits: str) -> bool:
    national = "0" + digits[2:] if digits.startswith("44") else digits
    return national.startswith(_UK_DRAMA)


_LOREM = words(
    """lorem ipsum dolor sit amet consectetur consectetuer adipiscing adipisicing elit sed do
    eiusmod tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam quis
    nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure
    in reprehenderit voluptate velit esse cillum eu fugiat nulla pariatur excepteur sint
    occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim id est laborum
    vestibulum pellentesque curabitur mauris aenean nullam donec integer quisque suspendisse
    phasellus maecenas vivamus praesent fusce etiam morbi nunc vel eget nibh arcu lectus neque
    tortor felis risus justo turpis purus massa augue ligula odio urna viverra sapien dui
    tellus lacus libero metus erat orci nec ac at a diam quam leo mi unde omnis iste natus
    error voluptatem totam rem ab quia aut eos ratione neque qui dolorem sed vero et
    perspiciatis unde omnis iste natus voluptatem accusantium doloremque laudantium totam
    aperiam eaque ipsa quae illo inventore veritatis quasi architecto beatae vitae dicta
    explicabo nemo ipsam voluptas aspernatur odit fugit consequuntur magni dolores ratione
    sequi nesciunt porro quisquam dolorem adipisci numquam eius modi tempora incidunt magnam
    quaerat accusamus iusto dignissimos ducimus blanditiis praesentium voluptatum deleniti
    atque corrupti quos quas molestias excepturi occaecati cupiditate"""
)
_LATIN_ONLY = words(
    """lorem ipsum dolor amet consectetur consectetuer adipiscing adipisicing eiusmod tempor
    incididunt labore dolore aliqua veniam nostrud exercitation ullamco laboris aliquip
    commodo consequat irure reprehenderit voluptate velit cillum fugiat nulla pariatur
    excepteur occaecat cupidatat proident culpa officia deserunt mollit laborum vestibulum
    pellentesque curabitur mauris aenean nullam donec quisque suspendisse phasellus maecenas
    vivamus praesent fusce etiam morbi nunc eget nibh lectus tortor felis risus turpis purus
    augue ligula viverra sapien tellus lacus metus orci
    perspiciatis unde omnis iste natus voluptatem accusantium doloremque laudantium totam
    aperiam eaque ipsa quae illo inventore veritatis quasi architecto beatae vitae dicta
    explicabo nemo ipsam voluptas aspernatur odit fugit consequuntur magni dolores ratione
    sequi nesciunt porro quisquam dolorem adipisci numquam eius modi tempora incidunt magnam
    quaerat accusamus iusto dignissimos ducimus blanditiis praesentium voluptatum deleniti
    atque corrupti quos quas molestias excepturi occaecati cupiditate"""
)
"""Words no English sentence uses, three of which in a run of filler make it filler."""
_WORD = re.compile(r"[A-Za-z]+")


LATIN_HINTS = ("ipsum", "dolor", "amet", "consectetur", "adipisc", "eiusmod", "perspiciatis")
"""Parts of the common filler words: a text without any holds no filler (a cheap first look)."""


def lorem(text: str) -> Iterator[Found]:
    """Runs of filler Latin ("dolor sit amet, consectetur..."), with or without "lorem"."""
    if _LATIN_ONLY.isdisjoint(_WORD.findall(text.lower())):
        return
    run: list[re.Match[str]] = []
    for match in [*_WORD.finditer(text), None]:
        if match is not None and match.group().lower() in _LOREM:
            run.append(match)
            continue
        if sum(m.group().lower() in _LATIN_ONLY for m in run) >= 3:
            start, end = run[0].start(), run[-1].end()
            shown = text[start:end] if end - start <= 40 else text[start : start + 37] + "..."
            yield start, end - start, f"filler text {shown!r}"
        run = []


PLACEHOLDER_DOMAIN = re.compile(
    r"(?<![\w.-])(?:www\.)?(?:example\.(?:com|org|net)|your-?(?:domain|company|website)\.com)\b"
    r"|(?<![\w.-])localhost\b|(?<![\w-])[\w-]+\.invalid\b"
    r"|(?<![\w.-])(?:your-?)?(?:company|agency|business|brand|domain|website|site)-?name"
    r"\.(?:[a-z]{2,6}\.)?[a-z]{2,6}\b",
    re.IGNORECASE,
)
"""The reserved example domains themselves (RFC 2606) and "yourdomain.com"-style stand-ins.
A subdomain (`acme.example.com`) is not reported: it stands for a real company's own site."""
_MARKERS = re.compile(
    r"\b(?:TODO|FIXME|TBD)\b|(?<![\w(.,$-])XXX+(?![\w).,-])"
    r"|\b(?:INSERT|PASTE)(?:[ \t]+[A-Z][A-Z'\u2019&-]*)+\b"
    r"|(?<=\w[ \t])_{3,}(?=[ \t]*[\w,.!?])"
)


_MARKER_WORDS = ("TODO", "FIXME", "TBD", "XXX", "INSERT", "PASTE", "___")
_DOMAIN_WORDS: tuple[str, ...] = ("example.", "yourdomain", "your-domain", "yourcompany")
_DOMAIN_WORDS += ("your-company", "yourwebsite", "your-website", "localhost", ".invalid")
_DOMAIN_WORDS += ("name.",)  # companyname.com, agency-name.co.uk


def may_mark(text: str) -> bool:
    return any(word in text for word in _MARKER_WORDS) or mentions(text, _DOMAIN_WORDS)


def finders(text: str) -> list[Callable[[str], Iterator[Found]]]:
    """The finders of drafted text worth running on parts of `text` (a whole body): those
    whose first look finds something somewhere in it (`markers` asks when a part could yield:
    `MarkersIn`)."""
    found: list[Callable[[str], Iterator[Found]]] = []
    if "[" in text:
        found.append(brackets)
    if "(" in text:
        found.append(parentheses)
    if len(text) > LOOK_LATER_FROM:
        found.append(MarkersIn(text))
    elif may_mark(text):
        found.append(markers)
    if mentions(text, LATIN_HINTS):
        found.append(lorem)
    return found


LOOK_LATER_FROM = 8_000
"""Characters from which `may_mark` of a whole subject and body waits for a part that could
yield (`MarkersIn`): a shorter one costs less than asking each part and attribute."""


class MarkersIn:
    """`markers` for the parts of `whole` (a subject and body), run when `may_mark(whole)`.
    That first look reads all of a big body (fourteen words), and a part that does not
    `may_mark` yields nothing anyway: so it is asked only once a part passes its own."""

    def __init__(self, whole: str) -> None:
        self.whole = whole
        self._marks: bool | None = None

    def __call__(self, text: str) -> Iterator[Found]:
        if not may_mark(text):
            return iter(())
        if self._marks is None:
            self._marks = may_mark(self.whole)
        return markers(text) if self._marks else iter(())


def might_be_drafted(text: str) -> bool:
    """A first look for `brackets` and `markers`."""
    return "[" in text or may_mark(text)


def markers(text: str) -> Iterator[Found]:
    if not may_mark(text):
        return
    for match in _MARKERS.finditer(text):
        yield match.start(), len(match.group()), f"placeholder text {match.group()!r}"
    for match in PLACEHOLDER_DOMAIN.finditer(text):
        yield match.start(), len(match.group()), f"placeholder domain {match.group()!r}"
