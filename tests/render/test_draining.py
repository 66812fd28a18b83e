"""Old versions still draining are shown by every renderer, in the plan's own words, even
when the plan has nothing to write ("No changes")."""

from __future__ import annotations

import io
import json

from rich.console import Console

from seqops.plan.plan import Plan
from seqops.plan.retiring import Draining
from seqops.render import HtmlRenderer, JsonRenderer, MarkdownRenderer, TextRenderer

DRAINING = Draining("demo", 4, "Demo (v1, retiring)", True, 3, 1, 0, "2026-12-21")
HELD = Draining("trial", 9, "Trial (v2, retiring)", False, pending=2)
WORDS = (
    "drains: 3 active prospects keep their cadence in it until they finish, at the latest on "
    "2026-12-21; 1 paused prospect goes on in it when resumed"
)


def plan() -> Plan:
    return Plan("t", target_description="the account", draining=[DRAINING, HELD])


def text() -> str:
    out = io.StringIO()
    Console(file=out, width=400, no_color=True).print(TextRenderer().render(plan()))
    return out.getvalue()


def test_text_and_markdown_say_who_drains_and_by_when_on_a_plan_without_changes():
    out = text()
    assert f"draining: Sequence/demo 'Demo (v1, retiring)' (id 4) {WORDS}" in out
    assert "Trial (v2, retiring)' (id 9) is disabled: 2 pending prospects wait in it" in out
    assert "No changes" in out
    md = MarkdownRenderer().render(plan())
    assert f"> ⏳ draining: Sequence/demo 'Demo (v1, retiring)' (id 4) {WORDS}" in md


def test_json_lists_them_and_html_shows_them():
    document = json.loads(JsonRenderer().render(plan()))
    assert [d["name"] for d in document["draining"]] == ["demo", "trial"]
    assert document["draining"][0]["finishes_by"] == "2026-12-21"
    page = HtmlRenderer().render(plan())
    assert "⏳ draining: Sequence/demo" in page and "2026-12-21" in page
