"""The emails in the HTML review, as the approver reads them: each subject with the changed
words struck or marked, each body in its sandboxed frame exactly as the sample prospect gets
it (merge fields filled and highlighted, the changed words marked, nothing that runs or loads,
a style block's text nowhere, an inline image shown and a remote one as its alt text), the
frame sized to the email, and the emails a new sequence sends from templates the plan leaves
as they are."""

from __future__ import annotations

import html5lib

from seqops.render import HtmlRenderer

from .test_markdown import live, plan_of, res
from .test_reader_reads import reading

ALEX = '<mark class="mf" title="{{first_name}}">Alex</mark>'
BADGE = "data:image/png;base64,iVBORw0KGgo="


def emails(page: str) -> list[tuple[str, list[tuple[str, str]], str, str]]:
    """Each email shown: (title, subject as (mark, text) runs, frame height, frame body)."""
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    out = []
    for box in tree.iter("div"):
        if box.get("class") != "email":
            continue
        title = box.find("h3").text
        headers = next(d for d in box.iter("div") if d.get("class") == "headers")
        subject = [("", headers.find("b").tail or "")]
        for run in headers:
            if run.tag != "b":
                subject += [(run.tag, run.text or ""), ("", run.tail or "")]
        frame = box.find("iframe")
        assert frame.get("sandbox") == "" and frame.get("title") == title
        body = frame.get("srcdoc").split("<body>", 1)[1].removesuffix("</body></html>")
        out.append((title, [r for r in subject if r[1].strip()], frame.get("style"), body))
    return out


def update(old: dict, new: dict) -> str:
    spec = {"displayName": "Intro email"}
    before, after = (
        res("Template", "intro", {**spec, **old}),
        res("Template", "intro", {**spec, **new}),
    )
    return HtmlRenderer().render(plan_of([after], [live(before, 5)]))


def test_a_changed_email_is_shown_before_and_after_with_the_changed_words_marked():
    page = update(
        {"subject": "Quick intro for {{first_name}}", "bodyHtml": "<p>Hello there {{first_name}}, <b>we</b> ship.</p><p>Bye</p>"},
        {"subject": "A quick intro", "bodyHtml": "<p>Hello you {{first_name}}, <b>we</b> ship <a href='https://x.example/a'>now</a>.</p><p>Bye</p>"},
    )  # fmt: skip
    assert emails(page) == [
        (
            "Before",
            [("del", "Quick"), ("", " intro"), ("del", " for Alex")],
            "height: 132px",
            f"<p>Hello <del>there</del> {ALEX}, <b>we</b> ship.</p><p>Bye</p>",
        ),
        (
            "After",
            [("ins", "A quick"), ("", " intro")],
            "height: 132px",
            f"<p>Hello <ins>you</ins> {ALEX}, <b>we</b> ship "
            '<a href="https://x.example/a" rel="noopener noreferrer nofollow"><ins>now</ins></a>'
            ".</p><p>Bye</p>",
        ),
    ]
    lines = reading(page)
    assert lines[lines.index("Before") : lines.index("Before") + 7] == [
        "Before",
        "Subject: Quick intro for Alex",
        "[frame: Before]",
        "After",
        "Subject: A quick intro",
        "[frame: After]",
        "Email body: HTML source (line diff)",
    ]


def test_a_style_blocks_text_never_reaches_the_review_nor_counts_as_words():
    """What the prospect never reads (a style block's rules, a title, a text area's or a
    template's content, a script) shows nowhere, and is never compared as words: `red` inside
    the style block is not the `red` the prospect reads, which stays as it was."""
    hidden = (
        "<style>b{color:red}</style><title>Draft v3</title><textarea>Notes to self</textarea>"
        "<template>Unused block</template><script>var seen = 1</script>"
    )
    page = update(
        {"subject": "Hi", "bodyHtml": f"{hidden}<p>red wine</p>"},
        {"subject": "Hi", "bodyHtml": "<p>red beer</p>"},
    )
    assert [(title, body) for title, _, _, body in emails(page)] == [
        ("Before", "<p>red <del>wine</del></p>"),
        ("After", "<p>red <ins>beer</ins></p>"),
    ]


def test_an_inline_image_is_shown_and_a_remote_one_is_its_alt_text():
    """The review loads nothing, yet the prospect sees an image embedded in the email: it is
    shown (bug: every image lost its `src`, the inline ones too); a link never carries data."""
    body = (
        f'<p>Hi</p><img src="{BADGE}" alt="badge"><img src="https://e.example/p.gif" alt="logo">'
        '<a href="data:text/html,x">open</a><a href=" da\ta:text/html,y">two</a>'
        '<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="vector">'
    )
    page = update({"subject": "Hi", "bodyHtml": "<p>Hi</p>"}, {"subject": "Hi", "bodyHtml": body})
    [_, (_, _, _, after)] = emails(page)
    assert after == (
        f'<p>Hi</p><img src="{BADGE}" alt="badge"><img alt="logo">'
        '<a rel="noopener noreferrer nofollow"><ins>open</ins></a>'
        '<a rel="noopener noreferrer nofollow"><ins>two</ins></a><img alt="vector">'
    )


def test_a_frame_grows_with_its_email_up_to_900_pixels():
    def height(paragraphs: int, words: int = 1) -> str:
        body = "".join(f"<p>{' '.join(['word'] * words)} {i}</p>" for i in range(paragraphs))
        page = update(
            {"subject": "Hi", "bodyHtml": "<p>x</p>"}, {"subject": "Hi", "bodyHtml": body}
        )
        return emails(page)[1][2]

    assert height(1) == "height: 132px"  # at least three lines
    assert height(5) == "height: 180px"  # a line a paragraph: 60 + 24 each
    assert height(1, words=40) == "height: 132px"  # 1 block + 201 characters // 80
    assert height(2, words=60) == "height: 276px"  # 2 blocks + 602 characters // 80 = 9
    assert height(40) == "height: 900px"


def test_a_new_sequence_shows_each_email_it_sends_once_with_its_subject():
    templates = [
        res("Template", "intro", {"displayName": "Intro email", "subject": "Quick intro", "bodyHtml": "<p>Hi {{first_name}}, we ship.</p>"}),
        res("Template", "follow-up", {"subject": "Again", "bodyHtml": "<p>One</p><p>Two</p><p>Three</p><p>Four</p><p>Five</p>"}),
        res("Template", "blank", {"subject": "No body"}),
    ]  # fmt: skip
    steps = [
        {"type": "auto_email", "wait": "0", "template": "intro"},
        {"type": "auto_email", "wait": "1d", "template": "follow-up"},
        {"type": "auto_email", "wait": "1d", "template": "blank"},
        {"type": "auto_email", "wait": "1d", "template": "intro"},
    ]
    sequence = res("Sequence", "inbound", {"displayName": "Inbound", "steps": steps})
    objects = [live(t, i) for i, t in enumerate(templates, 1)]
    page = HtmlRenderer().render(plan_of([*templates, sequence], objects))
    assert emails(page) == [
        (
            "Sends “Intro email” (unchanged)",
            [("", " Quick intro")],
            "height: 132px",
            f"<p>Hi {ALEX}, we ship.</p>",
        ),
        (
            "Sends “follow-up” (unchanged)",
            [("", " Again")],
            "height: 180px",
            "<p>One</p><p>Two</p><p>Three</p><p>Four</p><p>Five</p>",
        ),
    ]
    lines = reading(page)
    assert "Setting | Before | After" in lines  # the new sequence's own settings
    assert lines[lines.index("Setting | Before | After") + 1 :][:2] == [
        "Name displayName | — | Inbound",
        "Schedule sequenceType | — | steps after waits",
    ]


def test_a_template_renamed_only_shows_no_email_and_the_note_on_samples_is_left_out():
    page = update(
        {"subject": "Hi", "bodyHtml": "<p>Hi</p>"},
        {"subject": "Hi", "bodyHtml": "<p>Hi</p>", "displayName": "Intro v2"},
    )
    assert emails(page) == []
    lines = reading(page)
    assert not [line for line in lines if line.startswith("Emails are shown as")]
    assert "Name displayName | Intro email | Intro v2" in lines


def test_an_email_keeps_the_layout_it_needs_and_loses_what_loads_or_hides():
    layout = (
        '<font color="red" face="Arial" size="3" onclick="x()">F</font>'
        '<table cellpadding="2" cellspacing="0" summary="s" width="600" bgcolor="#fff"><tfoot>'
        '<tr><td align="center" valign="top" class="c" title="t" lang="en" dir="ltr">x</td></tr>'
        '</tfoot></table><details><summary>S</summary>D</details>'
        '<map name="m"><area href="https://a.example"></map>'
        '<p style="color:red">ok</p><p style="background:url(x)">no</p>'
        '<p style="behavior: url(x)">b</p><a href="tel:+123">call</a><a href="ftp://x.example">ftp</a>'
    )  # fmt: skip
    new = res("Template", "layout", {"subject": "Hi", "bodyHtml": layout})
    [(title, _, _, after)] = emails(HtmlRenderer().render(plan_of([new], [])))
    assert title == "New email"
    assert after == (
        '<font color="red" face="Arial" size="3">F</font>'
        '<table cellpadding="2" cellspacing="0" summary="s" width="600" bgcolor="#fff"><tfoot>'
        '<tr><td align="center" valign="top" class="c" title="t" lang="en" dir="ltr">x</td></tr>'
        "</tfoot></table>SD"
        '<p style="color:red">ok</p><p>no</p><p>b</p>'
        '<a href="tel:+123" rel="noopener noreferrer nofollow">call</a>'
        '<a rel="noopener noreferrer nofollow">ftp</a>'
    )  # fmt: skip


def test_each_frame_forbids_every_fetch_and_colours_removed_and_added_words():
    page = update(
        {"subject": "Hi", "bodyHtml": "<p>a</p>"}, {"subject": "Hi", "bodyHtml": "<p>b</p>"}
    )
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    for frame in tree.iter("iframe"):
        head = frame.get("srcdoc").split("<body>")[0]
        assert head == (
            '<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-'
            "Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
            "<style>body{font:15px/1.5 -apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:"
            "#222;margin:14px;overflow-wrap:anywhere}img{max-width:100%}del{background:#ffd7d5;"
            "color:#82071e;text-decoration:line-through}ins{background:#ccffd8;color:#055d20;"
            "text-decoration:none}mark.mf{background:#eef2ff;border-bottom:1px dotted #4b5fc4;"
            "color:inherit}</style></head>"
        )
        assert frame.get("referrerpolicy") == "no-referrer"
