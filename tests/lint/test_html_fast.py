"""The fast HTML scan (`seqops.lint.html`) reads exactly what the plain reader it replaced
reads (`html_reference`): the same tags, texts, links, styles and problems at the same
offsets, on real-size email-builder HTML, the corpus, and generated markup of every kind."""

from __future__ import annotations

import random
import re
import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seqops.lint import html
from seqops.manifest.yamlnodes import parse as parse_yaml

from . import html_reference

HERE = Path(__file__).parent
BLOCK = """\
<tr><td style="padding:24px;border-bottom:1px solid #e5e7eb;background:#ffffff" class="row">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td class="col" width="260"><img src="https://cdn.acme.io/{i}.png" width="260" alt="Feature {i}"></td>
<td class="col" width="292" style="padding:0 0 0 12px">
<h2 style="margin:0 0 8px;font-size:20px">Feature {i}: faster forecasts &amp; more</h2>
<p style="margin:0 0 12px">Teams like {{{{company}}}} build it in an hour. Release {i} adds
scenario planning &mdash; and a shared view. <b>New</b>: <i>heatmaps</i>.</p>
<!--[if mso]>
<v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://acme.io/{i}" style="height:40px">
<w:anchorlock/><center>Read more</center></v:roundrect>
<![endif]-->
<!--[if !mso]><!--><a href="https://acme.io/{i}?a=1&amp;b=2" title="Read {i}" style="display:inline-block">Read more</a><!--<![endif]-->
</td></tr></table></td></tr>
"""
HEAD = """\
<!DOCTYPE html>
<html xmlns:v="urn:schemas-microsoft-com:vml"><head><meta charset="utf-8">
<title>Acme monthly</title>
<style>
  .col {{ display: inline-block; }} a<b {{ color: red }}
  @media only screen and (max-width: 620px) {{ .col {{ width: 100% !important; }} }}
</style></head>
<body style="margin:0"><table role="presentation" width="100%" background="https://cdn.acme.io/bg.png">
"""
FOOT = """\
<tr><td><p>Acme Inc., 400 Pine Street<br>
<a href="https://acme.io/preferences?e={{{{email}}}}">Manage email preferences</a></p>
<img src="https://cdn.acme.io/badge.png" width="80"><o:p></o:p></td></tr>
</table></body></html>
"""


def builder_body(seed: int, size: int = 48_000) -> str:
    """Table-layout newsletter HTML of about `size` characters, as email builders export."""
    parts, i = [HEAD.format()], seed
    while sum(map(len, parts)) < size:
        parts.append(BLOCK.format(i=i))
        i += 1
    return "".join(parts) + FOOT.format()


DAMAGE = [
    lambda body, at: body[:at] + body[at + 1 :],  # a character lost (a `>`, a quote...)
    lambda body, at: body[:at] + "<" + body[at:],  # a stray `<`
    lambda body, at: body[:at] + "<b>" + body[at:],  # an element never closed
    lambda body, at: body[:at] + "</div>" + body[at:],  # an end tag with nothing open
    lambda body, at: body[:at] + '<a href="x" HREF="y">' + body[at:],  # an attribute twice
    lambda body, at: body[:at] + "<!-- never closed" + body[at:],
    lambda body, at: body[:at] + "<First Name> é İ <TD Class=a>" + body[at:],
    lambda body, at: body[:at] + "<title>t<b>x</b></TITLE><script>a<b</script>" + body[at:],
]


def damaged(seed: int) -> str:
    rng = random.Random(seed)
    body = builder_body(seed)
    for _ in range(rng.randint(1, 4)):
        body = rng.choice(DAMAGE)(body, rng.randrange(len(body)))
    return body


def corpus_bodies() -> list[str]:
    bodies = []
    for path in sorted([*HERE.glob("corpus/*.yaml"), *HERE.glob("cases/*/*.yaml")]):
        for document in parse_yaml(path.read_text()).documents:
            spec = document.data.get("spec") if isinstance(document.data, dict) else None
            if isinstance(spec, dict) and isinstance(spec.get("bodyHtml"), str):
                bodies.append(spec["bodyHtml"])
    return bodies


def assert_reads_as_the_reference(text: str) -> None:
    scan = html._Scan(text)
    stray_angle = scan.run()
    parsed, expected = scan.parsed, html_reference.read(text)
    assert [(t.name, t.offset, t.raw) for t in parsed.tags] == expected.tags
    assert [(p.message, p.offset, p.length) for p in parsed.problems] == expected.problems
    assert [tuple(s) for s in parsed.texts] == expected.texts
    assert [(link.tag.offset, link.text, link.end) for link in parsed.links] == expected.links
    assert [(s.offset, s.text) for s in parsed.styles] == expected.styles
    assert [t.offset for t in parsed.unknown] == expected.unknown
    assert stray_angle == expected.stray_angle
    for names, words in [(("a", "img"), ("title",)), (("img", "link"), ("background", "url("))]:
        plain = [t for t in parsed.tags if t.name in names or any(map(t.mentions, words))]
        assert parsed.select(names, words) == plain


@pytest.mark.parametrize("seed", range(6))
def test_real_size_builder_html_reads_as_the_reference(seed):
    body = builder_body(seed)
    assert 40_000 < len(body) < 55_000
    assert_reads_as_the_reference(body)


@pytest.mark.parametrize("seed", range(40))
def test_damaged_builder_html_reads_as_the_reference(seed):
    assert_reads_as_the_reference(damaged(seed))


def test_the_corpus_and_the_cases_read_as_the_reference():
    bodies = corpus_bodies()
    assert len(bodies) > 40
    for body in bodies:
        assert_reads_as_the_reference(body)


PIECES = [
    *"<>/='\" \n\tab!?-é",
    "<p>",
    "</p>",
    "<P>",
    "<a href='x'>",
    "<a>",
    "</a>",
    "<b>",
    "</b>",
    "<br/>",
    "<br>",
    "<img src=x>",
    "<img src=x alt=''/>",
    "<!--",
    "-->",
    "--->",
    "<!-->",
    "<!DOCTYPE html>",
    "<?xml?>",
    "<style>",
    "</style>",
    "</STYLE >",
    "<script>",
    "</script",
    "<title>",
    "</title>",
    "<head>",
    "</head>",
    "<o:p>",
    "</o:p>",
    "<First Name>",
    "<td a=1 A=2>",
    "<a href=1 title=2 href=3>",
    "</ p>",
    "&amp;",
    "text",
    "  ",
    "İ",
    "<li>",
    "</div>",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_markup_reads_as_the_reference(pieces):
    assert_reads_as_the_reference("".join(pieces))


OLD_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']+|\"[^\"]*\"|'[^']*')*)>")
"""The tag pattern before it was unrolled: exponential on a tag that never ends."""


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*"<>/='\" ab", "<a", "<b ", 'x="y"', "'z'"]), max_size=12))
def test_the_unrolled_tag_pattern_matches_what_the_old_one_matched(pieces):
    text = "".join(pieces)
    for start in range(len(text)):
        old = OLD_TAG.match(text, start)
        new = html_reference._TAG.match(text, start)
        assert (old and old.groups(), old and old.end()) == (
            new and new.groups(),
            new and new.end(),
        )


def test_a_tag_that_never_ends_is_read_at_once():
    """`<a b"c"<a b"c"...` with no `>` after it: the old pattern tried every way to split
    the runs between its alternatives, at every `<`; 14 repetitions took minutes."""
    body = "<p>x</p>" + '<a b"c"' * 200
    previous = signal.signal(signal.SIGALRM, _too_long)
    signal.alarm(20)
    try:
        parsed = html.parse(body)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [t.name for t in parsed.tags] == ["p"]
    assert_reads_as_the_reference(body)


def _too_long(signum, frame):
    raise AssertionError("reading the body did not end: the tag pattern backtracks")
