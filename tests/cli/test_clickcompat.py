"""The one shim into typer's private modules (`seqops.cli.clickcompat`) is fenced: it names
the typer versions it was checked against, and typer must raise exactly the classes it names.
A typer release outside that range fails here first, so the shim is looked at again."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from seqops.cli import app, clickcompat, load_command


def minor(version: str) -> tuple[int, int]:
    major, minor_, *_ = version.split(".")
    return int(major), int(minor_)


def test_typer_is_a_version_the_shim_was_checked_against():
    first, last = map(minor, clickcompat.CHECKED_WITH)
    assert first <= minor(typer.__version__) <= last, (
        f"typer {typer.__version__} is not one seqops/cli/clickcompat.py was checked against "
        f"({clickcompat.CHECKED_WITH}): check its imports, then widen CHECKED_WITH"
    )


@pytest.mark.parametrize(
    ("argv", "raised"),
    [
        (["--targte", "x"], clickcompat.NoSuchOption),
        (["--format", "yaml"], clickcompat.BadParameter),
        (["--parallelism", "0"], clickcompat.BadParameter),
    ],
)
def test_typer_raises_the_classes_the_shim_names(argv, raised):
    command = load_command("apply" if "--parallelism" in argv else "plan")
    with pytest.raises(raised) as info:
        command.make_context(command.name or "", argv)
    assert isinstance(info.value, clickcompat.UsageError | clickcompat.ClickException)


def test_a_missing_argument_is_the_shim_s_missing_parameter():
    command = load_command("show")
    with pytest.raises(clickcompat.MissingParameter):
        command.make_context("show", [])


def test_no_arguments_is_the_shim_s_help_error():
    result = CliRunner().invoke(app, [])
    assert "Usage:" in result.output and "Traceback" not in result.output
    group = typer.main.get_command(app)
    with pytest.raises(clickcompat.NoArgsIsHelpError):
        group.make_context("seqops", [])
