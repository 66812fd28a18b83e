"""User strings reach a terminal without control characters and a PR comment without Markdown;
long text changes are shown whole, the changed words marked."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from seqops.manifest.models import manifest_adapter
from seqops.plan.planner import draft_plan
from seqops.providers.base import LiveObject, LiveState
from seqops.render import MarkdownRenderer, TextRenderer
from seqops.render.longtext import is_long, unified
from seqops.render.mdtext import ZWJ, inert
from seqops.sanitize import terminal


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x1b[2Jb", "ab"),  # clear screen
        ("x\x1b]8;;http://evil\x07link\x1b]8;;\x07", "xlink"),  # hyperlink (OSC 8)
        ("p\x9b31mq", "pq"),  # 8-bit CSI
        ("bell\x07\x00nul\x7fdel\r", "bellnuldel"),
        ("\u202eevil\u202c", "evil"),  # bidi override
        ("line 1\n\tline 2", "line 1\n\tline 2"),
        ("Café 😀", "Café 😀"),
    ],
)
def test_control_characters_and_escape_sequences_are_stripped(raw, clean):
    assert terminal(raw) == clean
    assert "\n" not in terminal(raw, one_line=True)


def test_markdown_is_escaped_and_mentions_and_issue_refs_are_inert():
    text = inert("`x` **b** _i_ [l](u) <b> a|b ~~s~~ @team #12 owner/repo#3 a@b.com snake_case")
    assert text == (
        "\\`x\\` \\*\\*b\\*\\* \\_i\\_ \\[l\\](u) &lt;b&gt; a\\|b \\~\\~s\\~\\~ "
        f"@{ZWJ}team #{ZWJ}12 owner/repo#{ZWJ}3 a@b.com snake_case"
    )
    assert "\x1b" not in inert("a\x1b[2Jb") and "\n" not in inert("a\nb")


def res(kind: str, name: str, spec: dict):
    data = {"apiVersion": "seqops/v1", "kind": kind, "metadata": {"name": name}, "spec": spec}
    return manifest_adapter.validate_python(data)


def template_plan(old: dict, new: dict):
    live = LiveObject(res("Template", "intro", old), 7, "t0", "intro")
    return draft_plan([res("Template", "intro", new)], LiveState(objects=[live]), "t")


def printed(text: str, colour: bool) -> str:
    out = io.StringIO()
    Console(file=out, force_terminal=colour, no_color=not colour, width=300).print(text)
    return out.getvalue()


BODY = "<p>Hello {{first_name}},</p><p>We ship faster than anyone.</p><p>Sam</p>"


def test_a_one_word_body_edit_is_a_line_diff_with_the_word_marked_on_a_terminal():
    plan = template_plan({"bodyHtml": BODY}, {"bodyHtml": BODY.replace("ship", "ship much")})
    plain = printed(TextRenderer().render(plan), colour=False)
    assert "- <p>We ship faster than anyone.</p>" in plain
    assert "+ <p>We ship much faster than anyone.</p>" in plain
    assert "  <p>Hello {{first_name}},</p>" in plain and "\x1b[" not in plain
    coloured = printed(TextRenderer().render(plan), colour=True)
    assert "\x1b[" in coloured
    marked = coloured[coloured.index("ship") + 4 : coloured.index("faster", coloured.index("much"))]
    assert "much" in marked and "\x1b[1" in marked  # the inserted word is bold


def test_long_single_line_text_is_never_cut_into_two_identical_strings():
    prefix = "A subject line that goes on and on about the thing we want them to read, "
    plan = template_plan({"subject": prefix + "today"}, {"subject": prefix + "tomorrow"})
    out = printed(TextRenderer().render(plan), colour=False)
    assert f"- {prefix}today" in out and f"+ {prefix}tomorrow" in out
    md = MarkdownRenderer().render(plan)
    assert "**Subject line** <sub>subject</sub>\n\n```diff\n" in md and f"+{prefix}tomorrow" in md


def test_short_values_stay_on_one_line():
    assert not is_long("Quick intro", "A quick intro") and is_long("a\nb", None)
    assert unified("a\nb\nc", "a\nB\nc") == " a\n-b\n+B\n c"


def test_display_names_and_warnings_from_the_account_are_sanitised_in_text():
    plan = template_plan({"subject": "Hi"}, {"subject": "Hi", "displayName": "Bad \x1b[2J[red]x"})
    out = printed(TextRenderer().render(plan), colour=False)
    assert "\x1b" not in out and "“Bad [red]x”" in out
