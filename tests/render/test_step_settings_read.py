"""How a step's settings read: a field whose values name it (`Sent as a reply`: "a new
thread", "sent as a reply in the same thread") as its values alone, and a setting the manifest
leaves out (not managed, so never changed) as kept, never struck through."""

from __future__ import annotations

from seqops.render import HtmlRenderer, MarkdownRenderer, TextRenderer

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


def unmanaged_priority():
    """The live call has a priority the manifest does not give: seqops leaves it as it is
    (only what a manifest says is managed), and the wait changes."""
    call = {"type": "call", "wait": "2d", "note": "Ring them"}
    old = res("Sequence", "outbound", {"steps": [FIRST, {**call, "priority": "high"}]})
    new = res("Sequence", "outbound", {"steps": [FIRST, {**call, "wait": "3d"}]})
    objects = [live(TEMPLATES[0], 5), live(old, 1)]
    return plan_of([TEMPLATES[0], new], objects)


def test_a_setting_the_manifest_leaves_out_is_shown_kept_not_removed():
    plan = unmanaged_priority()
    [change] = [c for c in plan.changes if (c.kind, c.name) == ("Sequence", "outbound")]
    assert [d.path for d in change.diff] == ["steps[1].wait"], "the plan leaves priority alone"
    md = MarkdownRenderer().render(plan)
    [row] = [line for line in md.splitlines() if line.startswith("| 2 |")]
    assert "Priority: high" in row and "~~high~~" not in row
    html = HtmlRenderer().render(plan)
    assert "<del>high</del>" not in html and "<s>high</s>" not in html


def test_a_replace_shows_the_setting_gone_from_its_new_version():
    """A replace creates every step of the new version from the manifest: the live call's
    priority, which the manifest leaves out, is not carried over, and the table says so."""
    call = {"type": "call", "wait": "2d", "note": "Ring them"}
    task = {"type": "task", "wait": "1d", "note": "Connect"}
    old = res("Sequence", "outbound", {"steps": [FIRST, task, {**call, "priority": "high"}]})
    new = res("Sequence", "outbound", {"steps": [FIRST, call]})
    plan = plan_of([TEMPLATES[0], new], [live(TEMPLATES[0], 5), live(old, 1)])
    assert [c.action for c in plan.changes] == ["replace"]
    md = MarkdownRenderer().render(plan)
    [row] = [line for line in md.splitlines() if line.startswith("| 3 → **2** |")]
    assert "Priority: ~~high~~" in row
