"""`seqops lint` against `seqops validate` on the same generated manifest files: wall time,
CPU time and peak memory of each command, and their ratio (DESIGN §7: lint no slower, also
when the bodies are real-world email-builder HTML of 40-55 KB).

    .venv/bin/python bench/lint_vs_validate.py                 # all three scenarios, best of 5
    .venv/bin/python bench/lint_vs_validate.py --manifests 500 --builder-manifests 100 --repeat 3
    .venv/bin/python bench/lint_vs_validate.py --only mixed --repeat 9
    .venv/bin/python bench/lint_vs_validate.py --keep /tmp/manifests   # leave the files (profiling)
    .venv/bin/python bench/lint_vs_validate.py --only corpus --only corpus-66 --instructions
    .venv/bin/python bench/lint_vs_validate.py --only corpus-66 --instructions --compile

Four scenarios. "example-sized": 2,000 manifests whose sequences have 8 steps (3 emails, calls,
tasks with notes) and a ruleset, and whose templates have an example-sized HTML body with
merge fields and links; they lint clean, as a well-kept repository does. "email-builder":
templates whose bodies are table-based newsletter HTML as email builders export it (a
`<style>` block with media queries, Outlook conditional comments and VML buttons, inline
styles on every cell, images, a footer), 40-55 KB each, each with one image missing its alt
text (lint reports it: the findings are located in the big bodies). "mixed": the 2,000
manifests with one template in 20 an email-builder newsletter, the shape of the real corpus
issue 25 measured. "corpus": the
hand-judged corpus of tests/lint/corpus (its sales emails, where lint reports
problems), copied out of the repository: a set of a few dozen emails, where start-up (the
modules each command imports) weighs most.
Each command runs
`--repeat` times, alternating; the table gives the best wall and CPU time (the least
disturbed by other load) and the largest peak RSS, and each scenario says the machine's load
average before and after it (the machine may be shared: CPU time is the steadier figure).
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import harness

BODY = """\
<p>Hi {{{{first_name}}}},</p>
<p>Teams like {{{{company}}}} use Acme Analytics to build their weekly forecast in an hour
instead of a day ({name}), straight from the CRM data they already have.</p>
<p>Here is <a href="https://acme-analytics.io/case-studies/{name}">a short case study</a>;
or <a href="https://acme-analytics.io/book?ref={name}">pick a time that suits you</a>.</p>
<p><img src="https://cdn.acme-analytics.io/{name}.png" alt="Forecast chart"></p>
<p>Best,<br>{{{{sender.first_name}}}}</p>
"""


def template(name: str, reply: bool) -> str:
    body = "".join(f"    {line}\n" for line in BODY.format(name=name).splitlines())
    subject = "Re: {{previous_subject}}" if reply else f"{{{{account.name}}}} and {name}"
    return (
        f"apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: {name}\nspec:\n"
        f'  subject: "{subject}"\n  bodyHtml: |\n{body}'
    )


def sequence(name: str, templates: list[str]) -> str:
    first, bump, last = templates
    steps = [
        ("auto_email", "0", f"template: {first}"),
        ("call", "1d", "note: Reference the intro email and ask how they forecast today."),
        ("auto_email", "3d", f"template: {bump}\n      isReply: true"),
        ("task", "1d", "note: Engage with a recent LinkedIn post."),
        ("call", "2d", "note: Second attempt."),
        ("manual_email", "4d", f"template: {last}\n      isReply: true"),
        ("task", "2d", "note: Check the account's news."),
        ("call", "1w", "note: Breakup call."),
    ]
    lines = "".join(
        f"    - type: {kind}\n      wait: {wait}\n      {rest}\n" for kind, wait, rest in steps
    )
    return (
        f"apiVersion: seqops/v1\nkind: Sequence\nmetadata:\n  name: {name}\nspec:\n"
        f"  ruleset: standard\n  steps:\n{lines}"
    )


RULESET = (
    "apiVersion: seqops/v1\nkind: Ruleset\nmetadata:\n  name: standard\n"
    "spec:\n  includeUnsubscribeLinks: true\n"
)


HEAD = """\
<!DOCTYPE html>
<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Acme Analytics monthly</title>
<style>
  body, table, td {{ font-family: Helvetica, Arial, sans-serif; }}
  .wrapper {{ width: 100%; background: #f3f4f6; }}
  .col {{ display: inline-block; vertical-align: top; }}
  @media only screen and (max-width: 620px) {{
    .col {{ width: 100% !important; display: block !important; }}
    .hero h1 {{ font-size: 26px !important; }}
  }}
</style>
<!--[if mso]><style>.col {{ width: 290px; }} table {{ border-collapse: collapse; }}</style><![endif]-->
</head>
<body style="margin:0;padding:0">
<div style="display:none;max-height:0;overflow:hidden">What shipped this month, {{{{first_name}}}}.</div>
<table role="presentation" class="wrapper" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="background:#ffffff">
<tr><td class="hero" style="padding:32px 24px;background:#111827;color:#ffffff">
<img src="https://cdn.acme-analytics.io/email/{name}/logo.png" width="140" height="32" alt="Acme Analytics" style="display:block;border:0">
<h1 style="margin:24px 0 8px;font-size:32px;line-height:38px">Hi {{{{first_name}}}}, here is what shipped</h1>
<p style="margin:0;font-size:16px;line-height:24px;color:#d1d5db">News for {{{{account.name}}}} from the team at Acme.</p>
</td></tr>
"""
BLOCK = """\
<tr><td style="padding:24px;border-bottom:1px solid #e5e7eb">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td class="col" width="260" style="padding:0 12px 0 0">
<img src="https://cdn.acme-analytics.io/email/{name}/feature-{i}.png" width="260" height="160" alt="Feature {i}: the forecast view" style="display:block;border:0;border-radius:6px">
</td>
<td class="col" width="292" style="padding:0 0 0 12px">
<h2 style="margin:0 0 8px;font-size:20px;line-height:26px;color:#111827">Feature {i}: faster weekly forecasts</h2>
<p style="margin:0 0 12px;font-size:15px;line-height:22px;color:#374151">Teams like {{{{company}}}} build their forecast in an hour instead of a day. Release {i} adds scenario planning, pipeline heatmaps and a shared view your finance team can comment on, straight from the CRM data you already have.</p>
<p style="margin:0 0 16px;font-size:15px;line-height:22px;color:#374151">Read how three customers rolled it out across regions, and what they changed in their weekly review to make the number stick.</p>
<!--[if mso]>
<v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://acme-analytics.io/whats-new/{name}/{i}" style="height:40px;v-text-anchor:middle;width:200px" arcsize="10%" stroke="f" fillcolor="#2563eb">
<w:anchorlock/><center style="color:#ffffff;font-size:15px;font-weight:bold">Read more</center>
</v:roundrect>
<![endif]-->
<!--[if !mso]><!-->
<a href="https://acme-analytics.io/whats-new/{name}/{i}?utm_source=outreach&amp;utm_medium=email&amp;utm_campaign=monthly" style="display:inline-block;background:#2563eb;color:#ffffff;font-size:15px;font-weight:bold;line-height:40px;text-align:center;text-decoration:none;width:200px;border-radius:4px">Read more</a>
<!--<![endif]-->
</td></tr></table>
</td></tr>
"""
FOOT = """\
<tr><td style="padding:24px;font-size:12px;line-height:18px;color:#6b7280">
<img src="https://cdn.acme-analytics.io/email/{name}/badge.png" width="80" height="80">
<p style="margin:0 0 8px">Acme Analytics Inc., 400 Pine Street, Seattle, WA 98101</p>
<p style="margin:0">You receive this because you attended an Acme webinar.
<a href="https://acme-analytics.io/preferences?e={{{{email}}}}" style="color:#6b7280">Manage email preferences</a></p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
"""
"""The footer's badge has no alt text: one finding (content/img-alt) per body, located in it."""


def builder_body(name: str, low: int = 40_000, high: int = 55_000) -> str:
    """A newsletter as an email builder exports it, between `low` and `high` bytes long."""
    target = low + (sum(map(ord, name)) * 7919) % (high - low)
    parts = [HEAD.format(name=name)]
    tail = FOOT.format(name=name)
    i = 1
    while sum(map(len, parts)) + len(tail) + len(BLOCK) < target:
        parts.append(BLOCK.format(name=name, i=i))
        i += 1
    return "".join(parts) + tail


def builder_template(name: str, reply: bool) -> str:
    body = "".join(f"    {line}\n" for line in builder_body(name).splitlines())
    subject = (
        "Re: {{previous_subject}}" if reply else f"{{{{account.name}}}}: what shipped in {name}"
    )
    return (
        f"apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: {name}\nspec:\n"
        f'  subject: "{subject}"\n  bodyHtml: |\n{body}'
    )


def mixed_template(name: str, reply: bool) -> str:
    """One template in 20 an email-builder newsletter, the others example-sized: the shape of
    the corpus issue 25 measured (66 templates, 3 of them 41-55 KB)."""
    index = int(name.split("-")[1]) * 3 + ("intro", "bump", "last").index(name.split("-")[-1])
    return (builder_template if index % 20 == 0 else template)(name, reply)


def write(directory: Path, manifests: int, make=template) -> int:
    """One document per file: sequences of 4 documents each (3 templates), and the ruleset."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "ruleset.yaml").write_text(RULESET)
    written = 1
    for i in range(max(1, (manifests - 1) // 4)):
        name = f"seq-{i:04d}"
        templates = [f"{name}-intro", f"{name}-bump", f"{name}-last"]
        for t in templates:
            (directory / f"template-{t}.yaml").write_text(make(t, reply=t != templates[0]))
        (directory / f"sequence-{name}.yaml").write_text(sequence(name, templates))
        written += 4
    return written


def commands(directory: Path) -> dict[str, list[str]]:
    return {
        "seqops validate": [str(harness.SEQOPS), "validate", str(directory), "--no-color"],
        "seqops lint": [str(harness.SEQOPS), "lint", str(directory), "--no-color"],
    }


def run(label: str, command: list[str]) -> harness.Measured:
    measured = harness.run_measured(command)
    if measured.exit_code not in (0, 1) or (measured.exit_code and "validate" in label):
        tail = (measured.stderr or measured.stdout)[-1500:]
        raise SystemExit(f"{label} failed with exit {measured.exit_code}:\n{tail}")
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifests", type=int, default=2000)
    parser.add_argument(
        "--builder-manifests", type=int, default=400, help="manifests of the email-builder run"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the manifests here and leave them")
    parser.add_argument(
        "--only", action="append", choices=SCENARIOS, help="run only this scenario (repeatable)"
    )
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions (valgrind)"
    )
    parser.add_argument(
        "--compile", action="store_true", help="compile seqops' modules first (as installs do)"
    )
    args = parser.parse_args()
    if args.compile:
        compileall.compile_dir(PACKAGE, quiet=1)
    print(f"{harness.machine()}, best of {args.repeat}, {bytecode()}\n")
    scenarios = [
        ("example-sized", args.manifests, template),
        ("mixed: 1 template in 20 from an email builder", args.manifests, mixed_template),
        ("email-builder: every template 40-55 KB", args.builder_manifests, builder_template),
    ]
    for label, manifests, make in scenarios:
        if manifests and label.split(":")[0] in (args.only or SCENARIOS):
            scenario(label, manifests, make, args.repeat, args.keep, args.instructions)
    for label, make in ((corpus_label(), copy_corpus), (CORPUS_66_LABEL, corpus_66)):
        if label.split(":")[0] in (args.only or SCENARIOS):
            scenario(label, 0, make, args.repeat, args.keep, args.instructions)


SCENARIOS = ("example-sized", "mixed", "email-builder", "corpus", "corpus-66")
PACKAGE = Path(__file__).resolve().parents[1] / "seqops"
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "lint" / "corpus"


def corpus_label() -> str:
    files = sorted(CORPUS.glob("*.yaml"))
    emails = sum(f.read_text().count("\nkind: Template") for f in files)
    return f"corpus: tests/lint/corpus, {emails} hand-judged sales emails in {len(files)} files"


CORPUS_66_LABEL = "corpus-66: the corpus and 36 generated templates, 3 of them newsletters"


def copy_corpus(directory: Path, manifests: int, make: object = None) -> int:
    """The hand-judged corpus (real-world styles, its planted problems found: lint exits 1),
    copied out of the repository: a lint there would also search the repository's other files
    for the sequences of a template that looks unused. Small sets are where start-up counts."""
    directory.mkdir(parents=True, exist_ok=True)
    files = sorted(CORPUS.glob("*.yaml"))
    for file in files:
        (directory / file.name).write_text(file.read_text())
    return len(files)


def corpus_66(directory: Path, manifests: int = 0) -> int:
    """The corpus beside 12 sequences of 3 templates, the 1st, 13th and 25th a newsletter."""
    copied = copy_corpus(directory, 0)
    names = iter(range(36))

    def make(name: str, reply: bool) -> str:
        return (builder_template if next(names) % 12 == 0 else template)(name, reply)

    return copied + write(directory, 49, make)


def bytecode() -> str:
    cached = any(PACKAGE.glob("lint/__pycache__/*.pyc"))
    return f"seqops' modules {'compiled' if cached else 'compiled at every run (no __pycache__)'}"


def instructions(command: list[str]) -> float:
    """Millions of instructions `command` executes, its worker processes included (callgrind
    reports each process it follows)."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True,
        text=True,
    )
    return sum(map(int, re.findall(r"Collected : (\d+)", done.stderr))) / 1e6


def scenario(
    label: str, manifests: int, make, repeat: int, keep: Path | None, count_them: bool = False
) -> None:
    if count_them and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind on PATH")
    with tempfile.TemporaryDirectory(prefix="seqops-bench-") as work:
        directory = (keep or Path(work)) / label.split(":")[0]
        whole = make in (copy_corpus, corpus_66)
        count = make(directory, manifests) if whole else write(directory, manifests, make)
        size = sum(f.stat().st_size for f in directory.iterdir()) / 1e6
        runs: dict[str, list[harness.Measured]] = {}
        load_before = os.getloadavg()[0]
        for _ in range(repeat):
            for command_label, command in commands(directory).items():
                runs.setdefault(command_label, []).append(run(command_label, command))
        counted = {k: instructions(c) for k, c in commands(directory).items() if count_them}
        load = f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    seconds = {name: min(m.seconds for m in ms) for name, ms in runs.items()}
    cpu = {name: min(m.cpu_seconds for m in ms) for name, ms in runs.items()}
    rss = {name: max(m.max_rss_mb for m in ms) for name, ms in runs.items()}
    files = "files" if whole else "manifest files, one document each"
    print(f"{label}: {count} {files}, {size:.2f} MB ({load})")
    measures = [seconds, cpu, rss, *([counted] if counted else [])]
    rows = [[name, seconds[name], round(cpu[name], 2), rss[name]] for name in runs]
    for row, name in zip(rows, runs, strict=True):
        row.extend([round(counted[name], 1)] if counted else [])
    rows.append(["ratio lint / validate", *(ratio(m) for m in measures)])
    extra = ["instructions M"] if counted else []
    harness.print_table(["command", "wall s", "CPU s", "peak RSS MB", *extra], rows)
    print()


def ratio(measure: dict[str, float]) -> str:
    return f"{measure['seqops lint'] / measure['seqops validate']:.2f}"


if __name__ == "__main__":
    main()
