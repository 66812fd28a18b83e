"""What lint says in full: the summary line bold red when an error blocks, green when not;
filler text quoted whole up to 40 characters."""

from __future__ import annotations

import io

from rich.console import Console

from seqops.lint.finding import Finding, Severity
from seqops.lint.output import text


def finding(severity: Severity) -> Finding:
    return Finding(
        rule="content/placeholder", severity=severity, message="m", file="a.yaml", line=1, column=1
    )


def printed(findings: list[Finding]) -> str:
    out = io.StringIO()
    text(findings, 1, Console(file=out, force_terminal=True, color_system="standard"))
    return out.getvalue()


def test_an_error_makes_the_summary_bold_red():
    assert "\x1b[1;31m1 error in 1 file\x1b[0m" in printed([finding(Severity.error)])


def test_warnings_alone_leave_the_summary_green():
    assert "\x1b[32m1 warning in 1 file\x1b[0m" in printed([finding(Severity.warning)])


def test_filler_text_is_quoted_whole_up_to_40_characters_then_cut_to_40():
    from seqops.lint.placeholders import lorem

    forty = "Lorem  ipsum dolor sit amet, consectetur"
    assert list(lorem(forty)) == [(0, 40, f"filler text {forty!r}")]
    longer = forty.replace("  ", "   ")
    assert list(lorem(longer)) == [
        (0, 41, "filler text 'Lorem   ipsum dolor sit amet, consect...'")
    ]


def test_each_finding_is_coloured_by_its_severity():
    said = printed([finding(Severity.error), finding(Severity.warning), finding(Severity.info)])
    assert "\x1b[31ma.yaml:1:1: content/placeholder error: m\x1b[0m" in said
    assert "\x1b[33ma.yaml:1:1: content/placeholder warning: m\x1b[0m" in said
    assert "\x1b[36ma.yaml:1:1: content/placeholder info: m\x1b[0m" in said
