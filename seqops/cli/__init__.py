"""The `seqops` command line: thin typer commands over the core.

Each command lives in its own module and registers itself on `app`; the core never imports typer.
"""

import typer

from seqops.cli import apply, export, plan, sandbox, status, validate

app = typer.Typer(
    name="seqops",
    help="Sequence-as-code for Outreach: validate, plan and apply YAML manifests.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (validate, plan, apply, export, status):
    app.command(name=module.NAME)(module.command)
app.add_typer(sandbox.app, name="sandbox")


def main() -> None:
    app()
