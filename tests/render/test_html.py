"""The HTML review (`--format html`), read with an HTML parser as a browser would: one page that
loads nothing, keeps hostile names and bodies inert (also inside the email frames), and shows
each changed email for the sample prospect with the changed words marked, business words,
the steps with their results, the timeline, impact and the flags apply will need."""

from __future__ import annotations

import re

import html5lib
import pytest

from seqops.plan.safety import SafetyThresholds
from seqops.providers.base import Impact, LiveObject, LiveStep, Results
from seqops.render import HtmlRenderer

from .test_markdown import live, plan_of, res

HOSTILE = (
    '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>'
    "\x1b]8;;http://evil.example\x07link\x1b]8;;\x07\x07\u202eevil\u202c\x9b31m"
)
BODY_ATTACK = (
    "<p>Hi {{first_name}}, we ship fast.</p>"
    '<script>alert("body")</script><style>p{background:url(http://evil.example/s)}</style>'
    '<img src="https://evil.example/pixel.gif" alt="logo" onload="alert(4)">'
    '<a href="javascript:alert(5)" onclick="alert(6)">click</a>'
    '<p style="background-image:url(http://evil.example/bg)">styled</p>'
    '<iframe src="https://evil.example"></iframe><form action="https://evil.example"><input></form>'
    "<svg><script>alert(7)</script></svg><math><mtext><table><mglyph><style><img src=x onerror=alert(8)>"
    "<p>\u202eyap ot kcilc\u202c and {{custom_field}}</p>"
)
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SVG = "{http://www.w3.org/2000/svg}"
URL = re.compile(r"(?i)\b(?:https?:|//|javascript:|url\()")


def parse(markup: str):
    return html5lib.parse(markup, namespaceHTMLElements=False)


def hostile_plan():
    step = {"type": "auto_email", "wait": "0", "template": "intro"}
    call = {"type": "call", "wait": "2d", "note": HOSTILE}
    old_t = res(
        "Template", "intro", {"displayName": "Intro", "subject": "Hi", "bodyHtml": "<p>Hi</p>"}
    )
    new_t = res(
        "Template", "intro", {"displayName": HOSTILE, "subject": HOSTILE, "bodyHtml": BODY_ATTACK}
    )
    old_s = res("Sequence", "s", {"displayName": "S", "steps": [step, call]})
    new_s = res("Sequence", "s", {"displayName": HOSTILE, "steps": [step]})
    return plan_of(
        [new_t, new_s],
        [live(old_t, 7), LiveObject(old_s, 1, "t0", "s", [LiveStep(1, 1), LiveStep(2, 2)])],
        {1: Impact(active=3)},
    )


def frames(page) -> list:
    return [parse(f.get("srcdoc")) for f in page.iter("iframe")]


def assert_inert(page, where: str) -> None:
    for element in page.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        assert tag not in ("script", "object", "embed", "form", "input", "base", "link"), where
        if tag == "iframe":
            assert element.get("sandbox") == "", where  # no allow-scripts, no same origin
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (where, tag, name)
            if name in ("href", "src", "action", "background", "style", "srcset"):
                assert not URL.search(value), (where, tag, name, value)


def test_hostile_names_notes_and_bodies_stay_inert_in_the_page_and_the_frames():
    markup = HtmlRenderer().render(hostile_plan())
    page = parse(markup)
    assert_inert(page, "page")
    inner = frames(page)
    assert inner, "the changed email is framed"
    for frame in inner:
        assert_inert(frame, "frame")
        assert not [s for s in frame.iter("style") if URL.search(s.text or "")]
    texts = [markup] + [f.get("srcdoc") for f in page.iter("iframe")]
    assert not any(CONTROLS.search(t) for t in texts)
    assert "<script>alert(1)</script>" in "".join(page.find(".//h2").itertext())  # as text


def test_the_page_and_each_frame_forbid_every_fetch():
    page = parse(HtmlRenderer().render(hostile_plan()))
    policy = page.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    assert "default-src 'none'" in policy and "script-src" not in policy
    for frame in frames(page):
        inner = frame.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
        assert inner.startswith("default-src 'none'")
    assert not list(page.iter("link")) and not list(page.iter("script"))


def an_edit():
    body = "<p>Hi {{first_name}},</p><p>Would a 20-minute call next week work?</p>"
    old = res(
        "Template",
        "bump",
        {"displayName": "Bump", "subject": "Re: {{previous_subject}}", "bodyHtml": body},
    )
    new = res(
        "Template",
        "bump",
        {"displayName": "Bump", "subject": "Quick question", "bodyHtml": body.replace("20", "15")},
    )
    email = {"type": "manual_email", "wait": "0", "template": "bump", "isReply": True}
    task = {"type": "task", "wait": "2d", "note": "Connect on LinkedIn"}
    seq = res("Sequence", "inbound", {"displayName": "Inbound", "steps": [email, task]})
    later = res(
        "Sequence", "inbound", {"displayName": "Inbound", "steps": [{**email, "wait": "1d"}]}
    )
    steps = [LiveStep(10, 1, results=Results(1240, 496, 0, 38, 0)), LiveStep(11, 2)]
    objects = [
        LiveObject(old, 7, "t0", "bump", results=Results(delivered=2000, opened=900, replied=50)),
        LiveObject(seq, 1, "t0", "inbound", steps),
    ]
    return plan_of([new, later], objects, {1: Impact(active=5, paused=1)})


def test_each_changed_email_is_shown_for_the_sample_prospect_old_and_new_words_marked():
    plan = an_edit()
    page = parse(HtmlRenderer(plan.violations(SafetyThresholds())).render(plan))
    before, after = frames(page)
    assert [d.text for d in before.iter("del")] == ["20"]
    assert [i.text for i in after.iter("ins")] == ["15"]
    assert "Hi Alex," in "".join(after.find(".//body").itertext())  # filled for the sample
    assert "{{" not in "".join(after.find(".//body").itertext())
    headers = [
        " ".join("".join(h.itertext()).split())
        for h in page.iter("div")
        if h.get("class") == "headers"
    ]
    assert headers == ["Subject: Re: Quick intro", "Subject: Quick question"]
    assert "Alex Rivera" in "".join(page.find(".//body").itertext())  # names the sample


def test_business_words_results_impact_flags_and_timeline():
    plan = an_edit()
    page = parse(HtmlRenderer(plan.violations(SafetyThresholds())).render(plan))
    text = " ".join("".join(page.find(".//body").itertext()).split())
    assert "Manual email" in text and "Sent as a reply in the same thread" in text
    assert "manual_email" not in text and "isReply" not in text
    assert "Results so far: 2,000 delivered, 45.0 % opened, 2.5 % replied" in text
    assert "1,240 delivered, 40.0 % opened, 3.1 % replied" in text  # the kept step's row
    assert "step 2 · Task “Connect on LinkedIn” removed" in text
    assert "Impact: 5 active, 1 paused prospects" in text
    assert "apply will need --allow-disruption" in text and "refused" not in text
    [chart] = page.iter(f"{SVG}svg")
    rows = [t.text for t in chart.iter(f"{SVG}text") if t.get("class") == "row"]
    assert rows == ["Before", "After"]
    removed = [g for g in chart.iter(f"{SVG}g") if "removed" in (g.get("class") or "")]
    assert len(removed) == 1 and "Task" in removed[0].find(f"{SVG}title").text


@pytest.mark.parametrize("empty", [True, False])
def test_an_empty_plan_says_so(empty):
    from seqops.plan.plan import Plan

    page = parse(HtmlRenderer().render(Plan(target="t", target_description="somewhere")))
    assert "No changes" in "".join(page.find(".//body").itertext())
    assert empty or not list(page.iter("section"))


def test_draining_versions_and_old_version_writes_are_shown_in_plain_words():
    from seqops.plan.plan import Plan
    from seqops.plan.retiring import Draining

    plan = an_edit()
    change = next(c for c in plan.changes if c.kind == "Sequence")
    assert any(d.path == "old_version.displayName" for d in change.diff)  # the replace renames v1
    held = Draining("inbound", 9, "<b>Inbound</b> (v1, retiring)", True, 4, 1, 0, "2026-12-20")
    plan = Plan(plan.target, plan.changes, "sandbox", draining=[held], templates=plan.templates)
    page = parse(HtmlRenderer().render(plan))
    text = " ".join("".join(page.find(".//body").itertext()).split())
    assert "⏳ draining: Sequence/inbound '<b>Inbound</b> (v1, retiring)' (id 9) drains" in text
    assert "2026-12-20" in text  # and a name is text, never markup:
    assert not [b for b in page.iter("b") if "Inbound" in "".join(b.itertext())]
    assert "Old version's name old_version.displayName" in text
    assert "Inbound (v1, retiring)" in text
