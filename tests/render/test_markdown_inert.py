"""Live display names reach the PR comment through prose (impact `via`, safety refusals): they
stay inert text there, never HTML a reviewer's browser would run or that closes a block."""

from __future__ import annotations

from seqops.plan.safety import SafetyThresholds
from seqops.providers.base import Impact, LiveObject, LiveStep

from .test_markdown import live, plan_of, render, res

NASTY = "<img src=x onerror=alert(1)></details>"
INERT = "&lt;img src=x onerror=alert(1)&gt;&lt;/details&gt;"


def test_a_live_sequence_name_in_impact_and_refusals_is_escaped():
    old = res("Template", "intro", {"subject": "Quick intro"})
    new = res("Template", "intro", {"subject": "New intro"})
    spec = {
        "displayName": NASTY,
        "steps": [{"type": "auto_email", "wait": "0", "template": "intro"}],
    }
    seq = res("Sequence", "demo", spec)
    plan = plan_of([new, seq], [live(old, 7), sending(seq, 3, template=7)], {3: Impact(active=2)})
    md = render(plan, safety=plan.violations(SafetyThresholds()))
    assert "<img" not in md and md.count("</details>") == md.count("<details>")
    impact = next(line for line in md.splitlines() if line.startswith("**Impact:"))
    assert INERT in impact
    refusal = next(line for line in md.splitlines() if "disruption rule" in line)
    assert INERT in refusal and "--allow-disruption" in refusal


def sending(sequence, id: int, template: int) -> LiveObject:
    """A live sequence whose one step sends the live template `template`."""
    step = LiveStep(id * 100, 1, sequence_template_id=id * 1000, template_id=template)
    return LiveObject(sequence, id, "t0", sequence.name, [step])
