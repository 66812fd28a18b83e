"""The PR-comment plan: business-term diffs, impact in bold, a timeline per changed sequence."""

from __future__ import annotations

import re

from seqops.manifest.models import manifest_adapter
from seqops.plan.changes import RuleDrift
from seqops.plan.diff import FieldDiff
from seqops.plan.plan import Plan
from seqops.plan.planner import draft_plan, finish
from seqops.providers.base import Impact, LiveObject, LiveState, LiveStep
from seqops.render import MarkdownRenderer
from seqops.render.timeline import firings


def res(kind: str, name: str, spec: dict):
    data = {"apiVersion": "seqops/v1", "kind": kind, "metadata": {"name": name}, "spec": spec}
    return manifest_adapter.validate_python(data)


def live(resource, id: int) -> LiveObject:
    steps = [LiveStep(id * 100 + i, i + 1) for i in range(len(getattr(resource.spec, "steps", [])))]
    return LiveObject(resource, id, "t0", resource.name, steps)


def plan_of(resources, objects, impacts=None) -> Plan:
    plan = draft_plan(resources, LiveState(objects=objects), "sandbox")
    plan.target_description = "embedded sandbox"
    return finish(plan, impacts or {})


def render(plan: Plan, **kw) -> str:
    return MarkdownRenderer(**kw).render(plan)


def section(md: str, name: str) -> str:
    start = md.index(f"/{name}</code>")
    return md[start : md.index("</details>", start)]


EMAIL = {"type": "auto_email", "wait": "0", "template": "intro"}
CALL = {"type": "call", "wait": "2d"}
FOLLOW = {"type": "auto_email", "wait": "3d", "template": "follow-up"}
TEMPLATES = [res("Template", "intro", {"subject": "Hi"}), res("Template", "follow-up", {})]


def test_a_template_change_shows_its_subject_line_and_the_body_as_a_diff():
    old = res("Template", "intro", {"subject": "Quick intro", "bodyHtml": "<p>Hello</p><p>Bye</p>"})
    new = res("Template", "intro", {"subject": "A quick intro", "bodyHtml": "<p>Hi</p><p>Bye</p>"})
    md = render(plan_of([new], [live(old, 7)]))
    body = section(md, "intro")
    assert "| **Subject line** <sub>subject</sub> | Quick intro | A quick intro |" in body
    assert "subject line Quick intro → A quick intro, email body</summary>" in md  # the title
    assert "**Email body**: what the prospect reads, changed words marked" in body
    assert "> <del>Hello</del><ins>Hi</ins>\n>\n> Bye" in body  # the words, not the tags
    diff = body[body.index("<summary>HTML source</summary>") :]  # the source, folded below
    assert "-<p>Hello</p>" in diff and "+<p>Hi</p>" in diff
    assert " <p>Bye</p>" in diff  # context line, unchanged


def test_a_changed_wait_moves_the_step_day_in_the_table_and_the_timeline():
    before = res("Sequence", "inbound", {"steps": [EMAIL, CALL, FOLLOW]})
    after = res("Sequence", "inbound", {"steps": [EMAIL, {**CALL, "wait": "3d"}, FOLLOW]})
    md = render(plan_of([*TEMPLATES, after], [live(before, 1)], {1: Impact(active=12)}))
    body = section(md, "inbound")
    assert "| 2 | 3 → **4** | 2d → **3d** | Call |" in body
    assert "| 3 | 6 → **7** | 3d | Automatic email | follow-up |" in body
    assert "| 1 | 1 | 0 | Automatic email | intro |" in body
    chart = body[body.index("```mermaid") :]
    assert "gantt" in chart and "dateFormat x" in chart and "axisFormat %Q" in chart
    assert "section Before" in chart and "section After" in chart
    assert "Step 2 · Call · day 3 : 3, 4" in chart
    assert "Step 2 · Call · day 4 (changed) :crit, 4, 5" in chart  # tagged in After
    assert "Step 3 · Automatic email follow-up · day 7 : 7, 8" in chart  # shifted: not tagged
    assert "| 3 | 6 → **7** | 3d | Automatic email | follow-up |  | ⏩ fires 1d later |" in body
    assert "- ⏩ steps 2–3 fire 1d later" in body  # noqa: RUF001 - said once, as the text says


def test_impact_is_bold_in_the_section_and_its_title_and_totalled_in_the_summary():
    before = res("Sequence", "inbound", {"steps": [CALL]})
    after = res("Sequence", "inbound", {"steps": [{**CALL, "wait": "1d"}]})
    md = render(plan_of([after], [live(before, 1)], {1: Impact(active=12, paused=3)}))
    assert "**Impact: 12 active, 3 paused prospects**" in md
    assert "<b>12 active, 3 paused prospects</b></summary>" in md
    assert "**15 active or paused prospects are in sequences this plan changes.**" in md


def test_a_replace_shows_removed_steps_struck_and_both_versions_on_the_chart():
    before = res("Sequence", "inbound", {"steps": [EMAIL, CALL, FOLLOW], "enabled": True})
    after = res("Sequence", "inbound", {"steps": [EMAIL, FOLLOW]})
    md = render(plan_of([*TEMPLATES, after], [live(before, 1)], {1: Impact(active=2)}))
    body = section(md, "inbound")
    assert "♻️ replace" in md
    # Aligned by content: the call is removed, the follow-up email moves up (not "re-typed").
    assert "| 2 | ~~3~~ | ~~2d~~ | ~~Call~~ |  |  | 🗑️ removed |" in body
    assert (
        "| 3 → **2** | 6 → **4** | 3d | Automatic email | follow-up |  | ⬆️ up 1<br>⏩ fires 2d earlier |"
        in body
    )
    assert "- 🗑️ step 2 · Call removed (wait 2d); step 3 moves up one (now step 2)" in body
    assert "_step 2 · call removed: 'inbound (v2)' replaces 'inbound'; 2 active prospects" in body
    assert body.count("section ") == 2
    assert "Step 2 · Call · day 3 (removed) :done, 3, 4" in body


def test_a_created_sequence_has_one_steps_section_and_a_created_template_its_whole_body():
    seq = res("Sequence", "inbound", {"steps": [EMAIL, CALL], "enabled": True})
    intro = res("Template", "intro", {"subject": "Hi", "bodyHtml": "<p>One</p><p>Two</p>"})
    md = render(plan_of([intro, seq], []))
    body = section(md, "inbound")
    assert "section Steps" in body and "section Before" not in body
    assert body.count("🆕 added") == 2
    assert "+<p>One</p>\n+<p>Two</p>" in section(md, "intro")


def test_a_date_sequence_charts_its_dates():
    spec = {"sequenceType": "date", "steps": [{**EMAIL, "wait": None, "date": "2030-03-02"}]}
    spec["steps"][0].pop("wait")
    later = {**spec, "steps": [{**spec["steps"][0], "date": "2030-03-09"}]}
    md = render(
        plan_of([TEMPLATES[0], res("Sequence", "d", later)], [live(res("Sequence", "d", spec), 3)])
    )
    chart = section(md, "d")
    assert "dateFormat YYYY-MM-DD" in chart
    assert "2030-03-02, 1d" in chart and "2030-03-09, 1d" in chart
    assert "| 1 | 2030-03-02 → **2030-03-09** | Automatic email |" in chart


def test_interval_days_add_up_the_waits_and_day_one_is_the_day_of_enrolment():
    seq = res("Sequence", "s", {"steps": [EMAIL, {**CALL, "wait": "90m"}, FOLLOW, CALL]})
    assert [f.day for f in firings(seq)] == [1, 1, 4, 6]


def test_user_text_cannot_break_the_comment():
    nasty = "</details><script>x</script> | ```"
    t = res("Template", "intro", {"subject": nasty, "bodyHtml": "```\n<p>x</p>"})
    md = render(plan_of([t], []))
    assert "<script>" not in md and md.count("<details>") == md.count("</details>") == 2
    assert "&lt;/details&gt;" in md  # the section and its folded HTML source stay balanced
    assert "````diff" in md  # the fence outgrows the backticks inside the body
    spec = {"displayName": "Demo: #1; 100%", "steps": [CALL]}
    chart = section(render(plan_of([res("Sequence", "demo", spec)], [])), "demo")
    title = next(line for line in chart.splitlines() if "title" in line)
    assert not re.search(r"[:;#%]", title.removeprefix("    title "))


def test_a_plan_read_back_from_its_file_renders_the_same():
    before = res("Sequence", "inbound", {"steps": [EMAIL, CALL]})
    after = res("Sequence", "inbound", {"steps": [EMAIL, {**CALL, "wait": "5d"}]})
    plan = plan_of([TEMPLATES[0], after], [live(before, 1)], {1: Impact(active=1)})
    assert render(Plan.from_json(plan.to_json())) == render(plan)


def test_no_changes_says_so_without_a_checksum():
    md = render(Plan(target="t"))
    assert "No changes" in md and "checksum" not in md


def test_disable_and_enable_are_explained_and_a_disabled_sequence_has_no_chart():
    def seq(name: str, enabled: bool):
        return res("Sequence", name, {"steps": [CALL], "enabled": enabled})

    md = render(
        plan_of(
            [seq("a", True), seq("b", False)], [live(seq("a", False), 1), live(seq("b", True), 2)]
        )
    )
    assert "prospects start moving through it" in section(md, "a")
    assert "```mermaid" in section(md, "a")
    assert "stops: no step fires" in section(md, "b")
    assert "```mermaid" not in section(md, "b")


def test_automation_rule_drift_is_read_only_drift_not_a_change_in_place():
    rule = res("AutomationRule", "prospection", {"sequence": 700})
    drift = RuleDrift(
        kind="AutomationRule",
        name="prospection",
        desired=rule,
        sequence_id=700,
        actions_checked=4,
        diff=[FieldDiff("onSuccess.relaunch.delay", 3, 5)],
    )
    old, new = (
        res("Template", "intro", {"subject": "Hi"}),
        res("Template", "intro", {"subject": "Yo"}),
    )
    edit = plan_of([new], [live(old, 7)]).changes
    md = render(Plan("coefficy", [drift, *edit], target_description="cf"))

    assert "| ✏️ update | 1 | changed in place |" in md
    assert "| ✏️ update | 1 | drift (read-only: fix in Coefficy) |" in md
    rule_section = section(md, "prospection")
    assert "_drift (read-only: fix in Coefficy)_" in rule_section
    assert "changed in place" not in rule_section
    assert "_changed in place_" in section(md, "intro")
