"""The PR comment stays under GitHub's 65,536-character limit, folding the largest sections."""

from __future__ import annotations

from seqops.manifest.models import manifest_adapter
from seqops.plan.planner import draft_plan, finish
from seqops.providers.base import LiveObject, LiveState
from seqops.render import MarkdownRenderer
from seqops.render.fold import GITHUB_COMMENT_LIMIT, size


def template(name: str, body: str, subject: str = "Hello"):
    data = {
        "apiVersion": "seqops/v1",
        "kind": "Template",
        "metadata": {"name": name},
        "spec": {"subject": subject, "bodyHtml": body},
    }
    return manifest_adapter.validate_python(data)


def big_body(i: int, paragraphs: int) -> str:
    return "".join(
        f"<p>Paragraph {j} of email {i}: ✨ we help teams ship.</p>" for j in range(paragraphs)
    )


def plan_of_updates(count: int, paragraphs: int, small: int = 3):
    """`count` templates whose whole body changes, plus `small` subject-only changes."""
    desired, live = [], []
    for i in range(count):
        desired.append(template(f"big-{i:04d}", big_body(i, paragraphs) + "<p>v2</p>"))
        live.append(template(f"big-{i:04d}", big_body(i, paragraphs)[::-1]))
    for i in range(small):
        desired.append(template(f"small-{i}", "<p>x</p>", subject="New subject"))
        live.append(template(f"small-{i}", "<p>x</p>"))
    objects = [LiveObject(r, n + 1, "t0", r.name) for n, r in enumerate(live)]
    return finish(draft_plan(desired, LiveState(objects=objects), "sandbox"), {})


def test_a_plan_of_hundreds_of_big_changes_folds_the_largest_sections_and_says_so():
    plan = plan_of_updates(300, paragraphs=20)
    full = MarkdownRenderer(budget=10**9).render(plan)
    assert size(full) > 5 * GITHUB_COMMENT_LIMIT  # the test is only worth it if it overflows

    md = MarkdownRenderer().render(plan)
    assert size(md) <= GITHUB_COMMENT_LIMIT - 1_000  # room for the CI marker and footer
    assert "too long for one GitHub comment" in md and "65,536-character limit" in md
    assert md.count("<details>") == md.count("</details>")
    assert md.count("<details>\n<summary>✏️ update") == 303  # every change still listed
    assert md.count("Folded to fit the comment") > 0
    for i in range(3):  # the small sections are kept whole: the largest fold first
        start = md.index(f"Template/small-{i}</code>")
        assert "**Subject line**" in md[start : md.index("</details>", start)]


def test_a_plan_too_long_even_folded_lists_what_fits_and_counts_the_rest():
    plan = plan_of_updates(1500, paragraphs=1, small=0)
    md = MarkdownRenderer().render(plan)
    assert size(md) <= GITHUB_COMMENT_LIMIT
    assert md.count("<details>") == md.count("</details>")
    listed = md.count("<details>")
    assert 0 < listed < 1500
    assert f"and {1500 - listed} more changes, not listed here" in md
    assert f"and {1500 - listed} left out" in md
    assert "| ✏️ update | 1500 |" in md  # the summary always counts everything


def test_a_plan_under_the_limit_is_not_folded():
    md = MarkdownRenderer().render(plan_of_updates(5, paragraphs=5))
    assert "Folded" not in md and "too long" not in md


def test_emoji_count_twice_as_github_counts_them():
    assert size("✏️") == 2 and size("🆕") == 2 and size("abc") == 3
