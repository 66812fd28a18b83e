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
