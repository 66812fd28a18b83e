"""An email body in the PR comment as the words a prospect reads: images by their alt text,
each link's address after its text (once), nothing hidden (scripts, styles, comments), a line
break as a new paragraph; the changed words marked in place, the paragraphs far from any change
folded, and a change of markup alone said to be one."""

from __future__ import annotations

from seqops.render import MarkdownRenderer

from .test_markdown import live, plan_of, res


def quoted(old: str | None, new: str) -> list[str]:
    """The title of the body and its quoted words in the template's section, up to the HTML
    source; `old` None: a new template."""
    after = res("Template", "intro", {"subject": "Hi", "bodyHtml": new})
    objects = (
        []
        if old is None
        else [live(res("Template", "intro", {"subject": "Hi", "bodyHtml": old}), 1)]
    )
    md = MarkdownRenderer().render(plan_of([after], objects))
    start = md.index("**Email body**:")
    return md[start : md.index("<details>", start)].splitlines()[:-1]


def test_a_new_body_reads_as_text_with_images_links_and_breaks_and_nothing_hidden():
    body = (
        '<p>Hi <img src="x.png" alt="logo"><img src="y.png"></p>'
        '<p><a href="mailto:a@b.example">mail</a> <a href="https://x.example">https://x.example</a>'
        ' <a href="javascript:x()">js</a></p>'
        "<script>bad()</script><style>p{color:red}</style><!-- note --><p>Line<br>two</p>"
    )
    assert quoted(None, body) == [
        "**Email body**: what the prospect reads",
        "",
        "> Hi \\[image: logo\\]\\[image\\]",
        ">",
        "> mail (mailto:a@b.example) https://x.example js",
        ">",
        "> Line",
        ">",
        "> two",
    ]


def test_an_empty_new_body_says_so():
    assert quoted(None, "<p> </p>") == ["**Email body**: what the prospect reads", "", "> (empty)"]


def test_a_markup_only_change_says_the_words_are_the_same():
    assert quoted("<p>Hi there</p><p>Bye</p>", "<div>Hi  there</div><p>Bye</p>") == [
        "**Email body**: the words are the same, only the HTML changes",
        "",
        "> Hi there",
        ">",
        "> Bye",
    ]


def test_added_paragraphs_are_marked_whole_and_kept_apart():
    assert quoted("<p>One</p>", "<p>One</p><p>Two new</p><p>Three new</p>") == [
        "**Email body**: what the prospect reads, changed words marked",
        "",
        "> One",
        ">",
        "> <ins>Two new</ins>",
        ">",
        "> <ins>Three new</ins>",
    ]


def test_a_change_at_the_end_keeps_one_paragraph_before_it_and_folds_the_rest():
    old = "".join(f"<p>{c}</p>" for c in "ABCDE")
    assert quoted(old, old.replace("E</p>", "E!</p>")) == [
        "**Email body**: what the prospect reads, changed words marked",
        "",
        "> …",
        ">",
        "> D",
        ">",
        "> E<ins>!</ins>",
    ]
    assert quoted(old, old.replace("A</p>", "Z</p>"))[2:] == [
        "> <del>A</del><ins>Z</ins>",
        ">",
        "> B",
        ">",
        "> …",
    ]


def test_removed_words_are_struck_where_they_stood_with_their_spaces_and_breaks():
    """Bug: removed words were glued to their neighbours (`help ~~teams~~ship~~fast~~.`) and a
    removed paragraph to the end of the one before it."""
    assert quoted("<p>We help teams ship fast.</p>", "<p>We help ship.</p>")[2:] == [
        "> We help <del>teams</del> ship <del>fast</del>."
    ]
    assert quoted("<p>Hi</p><p>Old line</p>", "<p>Hi</p>")[2:] == [
        "> Hi",
        ">",
        "> <del>Old line</del>",
    ]
    assert quoted("<p>A</p><p>B</p><p>C</p>", "<p>A</p><p>C</p>")[2:] == [
        "> A", ">", "> <del>B</del>", ">", "> C"
    ]  # fmt: skip
    assert quoted("<p>Read our guide</p>", "<p>Read the guide</p>")[2:] == [
        "> Read <del>our</del><ins>the</ins> guide"  # a replaced word: struck, then the new one
    ]


def test_a_line_break_in_the_html_source_is_a_space_to_the_reader():
    """HTML wraps its source lines; a mail client joins them. Only <br> and blocks break."""
    assert quoted(None, "<p>Hi there,\nshort question\nabout your stack.</p>") == [
        "**Email body**: what the prospect reads",
        "",
        "> Hi there, short question about your stack.",
    ]
