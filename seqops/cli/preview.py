"""`seqops preview TEMPLATE [--target T] [--prospect ID | --sample N]`: what a prospect receives.

TEMPLATE is a Template's metadata.name in the manifests under `--manifests` (default: the
current directory), or a YAML file holding the template.
"""

from __future__ import annotations

import asyncio
import difflib
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from seqops.cli.common import NoColor, TargetOption, Verbose, fail, make_console, setup_logging
from seqops.cli.plan import load_manifests, open_target_or_fail
from seqops.manifest.models import Template
from seqops.preview.fill import Person, empty_counts, render
from seqops.preview.people import PreviewError, fetch_people
from seqops.providers.base import ProviderError
from seqops.targets import Target

NAME = "preview"


def command(
    template: Annotated[
        str, typer.Argument(metavar="TEMPLATE", help="A Template's name, or a YAML file with one.")
    ],
    target: TargetOption = None,
    prospect: Annotated[
        int | None, typer.Option("--prospect", metavar="ID", help="Render for this prospect.")
    ] = None,
    sample: Annotated[
        int | None,
        typer.Option(
            "--sample",
            metavar="N",
            min=1,
            help="Count, per merge field, how many of N prospects would get an empty value.",
        ),
    ] = None,
    manifests: Annotated[Path, typer.Option("--manifests", help="Where the manifests are.")] = Path(
        "."
    ),
    verbose: Verbose = False,
    no_color: NoColor = False,
) -> None:
    """Render a template with real prospect data from the target (what a prospect receives)."""
    setup_logging(verbose)
    if prospect is not None and sample is not None:
        raise fail("give --prospect ID or --sample N, not both")
    found = find_template(template, manifests, no_color)
    opened = open_target_or_fail(target)
    people = read_people(opened, prospect, sample or 1)
    console = make_console(no_color)
    console.print(f"Target: {opened.description}", markup=False, highlight=False)
    if sample is not None:
        show_sample(found, people, console)
    else:
        show_one(found, people[0], console)


def find_template(name: str, manifests: Path, no_color: bool) -> Template:
    path = Path(name)
    from_file = path.suffix in (".yaml", ".yml") and path.is_file()
    result = load_manifests([path if from_file else manifests], no_color).result
    templates = {r.name: r for r in result.resources if isinstance(r, Template)}
    if from_file and templates:
        return next(iter(templates.values()))
    if name in templates:
        return templates[name]
    close = difflib.get_close_matches(name, list(templates), n=1)
    hint = f": did you mean {close[0]!r}?" if close else f" under {manifests}"
    raise fail(f"no Template named {name!r}{hint}")


def read_people(target: Target, prospect: int | None, sample: int) -> list[Person]:
    client = getattr(target.provider, "client", None)
    if client is None or target.config.provider != "outreach":
        raise fail(f"preview reads prospects from an Outreach target, not {target.description}")

    async def main() -> list[Person]:
        try:
            return await fetch_people(client, prospect, sample)
        finally:
            await target.provider.aclose()

    try:
        return asyncio.run(main())
    except (PreviewError, ProviderError) as exc:
        raise fail(str(exc)) from None


def show_one(template: Template, person: Person, console: Console) -> None:
    rendered = render(template, person)
    console.print(f"Template {template.name} for {person.label}", markup=False, highlight=False)
    console.print(Text("Subject: ", style="bold") + Text(rendered.subject))
    console.print(Text("Body:", style="bold"))
    console.print(rendered.body, markup=False, highlight=False)
    for name in rendered.empty:
        console.print(Text(f"warning: {{{{{name}}}}} is empty for {person.label}", style="yellow"))


def show_sample(template: Template, people: list[Person], console: Console) -> None:
    counts = empty_counts(template, people)
    total = len(people)
    console.print(
        f"Template {template.name}: merge fields over {total} prospect{'s' if total != 1 else ''}",
        markup=False,
        highlight=False,
    )
    if not counts:
        console.print("no merge fields", markup=False)
    for name, empty in counts.items():
        style = "yellow" if empty else "green"
        console.print(Text(f"{{{{{name}}}}} empty for {empty} of {total}", style=style))
