"""`seqops lint` against `seqops validate` on the same 2,000 generated manifest files: wall
time and peak memory of each command, and their ratio (DESIGN §7: lint no slower).

    .venv/bin/python bench/lint_vs_validate.py                 # 2,000 manifests, best of 5
    .venv/bin/python bench/lint_vs_validate.py --manifests 500 --repeat 3
    .venv/bin/python bench/lint_vs_validate.py --keep /tmp/manifests   # leave the files (profiling)

The manifests are realistic: each sequence has 8 steps (3 emails, calls, tasks with notes) and
a ruleset, and each template an example-sized HTML body with merge fields and links, so the
content rules (HTML parsing, merge fields, links) do their full work. They lint clean, as a
well-kept repository does. Each command runs `--repeat` times, alternating; the table gives the
best wall time (the least disturbed by other load) and the largest peak RSS.
"""

from __future__ import annotations

import argparse
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


def write(directory: Path, manifests: int) -> int:
    """One document per file: sequences of 4 documents each (3 templates), and the ruleset."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "ruleset.yaml").write_text(RULESET)
    written = 1
    for i in range(max(1, (manifests - 1) // 4)):
        name = f"seq-{i:04d}"
        templates = [f"{name}-intro", f"{name}-bump", f"{name}-last"]
        for t in templates:
            (directory / f"template-{t}.yaml").write_text(template(t, reply=t != templates[0]))
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
    if measured.exit_code != 0:
        tail = (measured.stderr or measured.stdout)[-1500:]
        raise SystemExit(f"{label} failed with exit {measured.exit_code}:\n{tail}")
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifests", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the manifests here and leave them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="seqops-bench-") as work:
        directory = args.keep or Path(work) / "manifests"
        count = write(directory, args.manifests)
        runs: dict[str, list[harness.Measured]] = {}
        for _ in range(args.repeat):
            for label, command in commands(directory).items():
                runs.setdefault(label, []).append(run(label, command))
    seconds = {label: min(m.seconds for m in ms) for label, ms in runs.items()}
    cpu = {label: min(m.cpu_seconds for m in ms) for label, ms in runs.items()}
    rss = {label: max(m.max_rss_mb for m in ms) for label, ms in runs.items()}
    print(f"lint and validate {count} manifest files (one document each), best of {args.repeat}")
    print(f"{harness.machine()}\n")
    rows = [[label, seconds[label], round(cpu[label], 2), rss[label]] for label in runs]
    rows.append(["ratio lint / validate", *(ratio(m) for m in (seconds, cpu, rss))])
    harness.print_table(["command", "wall s", "CPU s", "peak RSS MB"], rows)


def ratio(measure: dict[str, float]) -> str:
    return f"{measure['seqops lint'] / measure['seqops validate']:.2f}"


if __name__ == "__main__":
    main()
