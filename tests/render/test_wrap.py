"""Plan lines at 80 columns: wrapped between words, never inside one, continuations indented
under their line, colours kept; a long word alone is cut only because it must be."""

from __future__ import annotations

import io
import re

from rich.console import Console

from seqops.cli.plan import print_plan
from seqops.plan.safety import SafetyThresholds
from seqops.providers.base import Impact
from seqops.render.wrap import breaks, fitted

from .test_markdown import TEMPLATES, live, plan_of, res
from .test_step_truth import CALL, FOLLOW, INTRO, LAST

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def terminal(width: int = 80) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=width, force_terminal=True, color_system="standard"), out


def a_plan():
    name = "Outbound - VP Sales | Q3_EMEA *pilot* [draft] for the enterprise segment in EMEA"
    old = res(
        "Sequence", "outbound", {"displayName": "Outbound", "steps": [INTRO, CALL, FOLLOW, LAST]}
    )
    new = res("Sequence", "outbound", {"displayName": name, "steps": [INTRO, FOLLOW, CALL]})
    return plan_of([*TEMPLATES, new], [live(old, 1)], {1: Impact(active=3, paused=2)})


def test_every_line_fits_80_columns_and_no_word_is_broken():
    plan = a_plan()
    console, out = terminal(80)
    print_plan(plan, "text", console, SafetyThresholds())
    printed = ANSI.sub("", out.getvalue())
    assert "\x1b[" in out.getvalue()  # still coloured
    assert max(len(line) for line in printed.splitlines()) <= 80
    wide, _ = terminal(10_000)
    print_plan(plan, "text", wide, SafetyThresholds())
    assert printed.split() == ANSI.sub("", _.getvalue()).split()  # the same words, whole
    continued = [line for line in printed.splitlines() if line.startswith("      ")]
    assert continued, "long lines wrap under their own text"


def test_a_word_longer_than_a_line_is_cut_only_because_it_must_be():
    assert breaks("a " + "x" * 30, 10, 8) == [1, 10, 18, 26]  # "a", then 8 x a line
    assert breaks("one two three", 20, 18) == []
    [line] = fitted("short", 80)
    assert line.plain == "short"


def test_a_plan_at_48_columns_reads_line_by_line_each_continuation_under_its_text():
    from .test_reader_reads import reshuffle

    out = io.StringIO()
    console = Console(file=out, width=48, no_color=True)
    print_plan(reshuffle(), "text", console, SafetyThresholds())
    assert out.getvalue().splitlines() == [
        "Target: embedded sandbox",
        "",
        "-/+ replace Sequence/outbound (id 1) “Outbound”",
        "    step 3 · task 'Connect on LinkedIn' removed;",
        "      step 3 · manual_email 'follow-up'",
        "      inserted; step 2 · call 'Ring them' moved",
        "      to step 4: 'Outbound (v2)' replaces",
        "      'Outbound'; v1 holds nobody: it is renamed",
        "      'Outbound (v1, retired)'",
        "    ~ Name (displayName): Outbound → 'Outbound",
        "      (v2)'",
        "    ~ Old version's ownership tag",
        "      (old_version.ownership): seqops:outbound →",
        "      seqops:outbound--retired",
        "    ~ Old version's name",
        "      (old_version.displayName): Outbound →",
        "      'Outbound (v1, retired)'",
        "    - step 3 · Task “Connect on LinkedIn”",
        "      removed (wait 1d); step 4 moves up two",
        "      (now step 2)",
        "    + step 3 · Manual email “follow-up” inserted",
        "      (wait 1d, sent as a reply in the same",
        "      thread)",
        "    ↕ step 4 · Call “Ring them” moved from step",
        "      2 (wait 2d, priority low)",
        "    ⏩ step 2 fires 3d earlier",
        "    ⏩ step 4 fires 4d later",
        "    impact: 0 active, 0 paused prospects",
        "",
        "Plan: 1 to replace.",
    ]


def test_a_wrapped_line_keeps_its_colour_and_a_deep_line_still_gets_twenty_columns():
    [first, second] = fitted("[red]- alpha beta gamma delta epsilon[/red]", 30)
    assert (first.plain, second.plain) == ("- alpha beta gamma delta", "  epsilon")
    assert [str(s.style) for s in second.spans] == ["red"]
    deep = fitted(" " * 30 + "one two three four five six", 40)
    assert [line.plain for line in deep] == [" " * 30 + "one two three four", " " * 32 + "five six"]
