"""A field whose values name it (`Sent as a reply`: "a new thread", "sent as a reply in the
same thread") reads as its values alone on a step's line, in the terminal and the PR comment:
"sent as a reply a new thread → ..." said the label twice and read as the opposite."""

from __future__ import annotations

from seqops.render import MarkdownRenderer, TextRenderer

from .test_markdown import live, plan_of, res

FIRST = {"type": "auto_email", "wait": "0", "template": "intro"}
SECOND = {"type": "manual_email", "wait": "2d", "template": "bump"}
TEMPLATES = [
    res("Template", "intro", {"subject": "Hi"}),
    res("Template", "bump", {"subject": "Re"}),
]


def threaded(before: bool, after: bool):
    old = res("Sequence", "outbound", {"steps": [FIRST, {**SECOND, "isReply": before}]})
    new = res("Sequence", "outbound", {"steps": [FIRST, {**SECOND, "isReply": after}]})
    objects = [live(TEMPLATES[0], 5), live(TEMPLATES[1], 6), live(old, 1)]
    return plan_of([*TEMPLATES, new], objects)


def test_a_step_that_becomes_a_reply_reads_as_its_two_threads_in_the_terminal():
    text = TextRenderer().render(threaded(False, True))
    assert "step 2 · Manual email “bump”: a new thread → sent as a reply in the same thread" in text
    assert "sent as a reply a new thread" not in text


def test_a_step_that_starts_its_own_thread_reads_so_in_the_pr_comment():
    md = MarkdownRenderer().render(threaded(True, False))
    assert "sent as a reply in the same thread → **a new thread**" in md
    assert "sent as a reply sent as a reply" not in md and "reply a new thread" not in md
