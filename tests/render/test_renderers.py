"""Renderers: text reads like a review, markdown fits a PR comment, JSON is the plan file."""

from __future__ import annotations

import io
import json

from rich.console import Console

from seqops.manifest.models import manifest_adapter
from seqops.plan.plan import Plan
from seqops.plan.planner import draft_plan, finish
from seqops.plan.safety import SafetyThresholds
from seqops.providers.base import Impact, LiveObject, LiveState, LiveStep
from seqops.render import RENDERERS, HtmlRenderer, JsonRenderer, MarkdownRenderer, TextRenderer


def res(kind: str, name: str, spec: dict) -> object:
    data = {"apiVersion": "seqops/v1", "kind": kind, "metadata": {"name": name}, "spec": spec}
    return manifest_adapter.validate_python(data)


def seq(name: str, steps: list[dict], **spec) -> object:
    return res("Sequence", name, {"steps": steps, **spec})


def live(resource, id: int) -> LiveObject:
    steps = [LiveStep(id * 100 + i, i + 1) for i in range(len(resource.spec.steps))]
    return LiveObject(resource, id, "t0", resource.name, steps)


CALL = {"type": "call", "wait": "1d"}


def sample() -> Plan:
    objects = [live(seq("inbound", [CALL], displayName="Inbound", enabled=True), 1)]
    resources = [
        seq("inbound", [{"type": "call", "wait": "3d"}], displayName="Inbound"),
        res("Template", "intro", {"subject": "Hi [bold]there[/bold] | you"}),
    ]
    plan = draft_plan(resources, LiveState(objects=objects), "sandbox")
    plan.target_description = "embedded sandbox (.seqops/sandbox.db): not a real Outreach account"
    return finish(plan, {1: Impact(active=4, paused=1)})


def printed(text: str, color: bool) -> str:
    out = io.StringIO()
    Console(file=out, force_terminal=color, no_color=not color, width=200).print(text)
    return out.getvalue()


def test_renderers_are_picked_by_name():
    assert {k: RENDERERS[k] for k in ("text", "json", "markdown")} == {
        "text": TextRenderer,
        "json": JsonRenderer,
        "markdown": MarkdownRenderer,
    }
    assert type(RENDERERS["html"]()) is HtmlRenderer and list(RENDERERS)[-1] == "html"


def test_the_html_renderer_is_imported_only_when_asked_for():
    import subprocess
    import sys

    code = "import sys, seqops.cli.plan; print('jinja2' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert loaded.stdout.strip() == "False", loaded.stderr


def test_text_names_the_target_first_and_reads_like_a_review():
    plan = sample()
    out = printed(TextRenderer(plan.violations(SafetyThresholds())).render(plan), color=False)
    lines = out.splitlines()
    assert lines[0] == "Target: embedded sandbox (.seqops/sandbox.db): not a real Outreach account"
    assert "+ create Template/intro" in out
    assert "~ update Sequence/inbound (id 1)" in out
    assert "~ step 1 · Call: wait 1d → 3d" in out
    assert "⏩ step 1 fires 2d later" in out
    assert "impact: 4 active, 1 paused prospects" in out
    assert "'Hi [bold]there[/bold] | you'" in out  # user text is never markup
    assert "Plan: 1 to create, 1 to update." in out
    assert "apply will need --allow-disruption:" in out
    assert "- --allow-disruption because 1 change(s) reach prospects already in sequences" in out
    assert "refused" not in out  # a plan refuses nothing: apply will
    assert "\x1b[" not in out


def test_text_is_coloured_on_a_terminal():
    plan = sample()
    assert "\x1b[" in printed(TextRenderer().render(plan), color=True)


def test_an_empty_plan_says_so():
    plan = Plan(target="t", target_description="x")
    assert "No changes" in printed(TextRenderer().render(plan), color=False)
    assert "No changes" in MarkdownRenderer().render(plan)


def test_markdown_has_a_summary_table_and_a_section_per_change():
    plan = sample()
    md = MarkdownRenderer(plan.violations(SafetyThresholds())).render(plan)
    assert "| Action | Count |" in md
    assert md.count("<details>") == 2 == md.count("</details>")
    assert "| 1 | 2 → **4** | 1d → **3d** | Call |" in md  # step 1: day, wait, type
    assert "Hi \\[bold\\]there\\[/bold\\] \\| you" in md  # pipes, brackets escaped in the table
    assert "**Impact: 4 active, 1 paused prospects**" in md
    assert "--allow-disruption" in md


def test_json_is_the_plan_document():
    plan = sample()
    doc = json.loads(JsonRenderer().render(plan))
    assert doc == plan.to_json()
    assert Plan.from_json(doc).checksum == plan.checksum


def test_booleans_and_durations_print_the_way_a_manifest_writes_them():
    live_template = live_template_of(res("Template", "intro", {"trackOpens": False}), 9)
    resources = [
        res("Template", "intro", {"trackOpens": True, "trackLinks": False}),
        seq("inbound", [{"type": "call", "wait": "2d"}], transactional=True),
    ]
    plan = draft_plan(resources, LiveState(objects=[live_template]), "sandbox")
    out = printed(TextRenderer().render(plan), color=False)
    assert "~ Track opens (trackOpens): no → yes" in out
    assert "+ Track link clicks (trackLinks): no" in out
    assert "+ Transactional (ignores opt-outs) (transactional): yes" in out
    assert "+ step 1 · Call added (wait 2d)" in out
    assert "True" not in out and "False" not in out
    markdown = MarkdownRenderer().render(plan)
    assert "| **Track opens** <sub>trackOpens</sub> | no | yes |" in markdown
    assert "True" not in markdown and "False" not in markdown


def live_template_of(resource, id: int) -> LiveObject:
    return LiveObject(resource, id, "t0", resource.name)
