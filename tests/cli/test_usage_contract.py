"""The command-line contract every command shares (DESIGN §3, issue 14 points 1 and 4):
usage errors exit 1 in one line (never 2, the code --detailed-exitcode reserves for changes),
-h everywhere, flags shown as flags, -t for --target, --version, global options first."""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest
from typer.testing import CliRunner

from seqops.cli import COMMANDS, app, load_command


def leaf_commands() -> list[list[str]]:
    """Every runnable command as its argv prefix: ["plan"], ["sandbox", "serve"], ..."""
    found = []
    for name in COMMANDS:
        command = load_command(name)
        subcommands = getattr(command, "commands", None)
        if subcommands:
            found += [[name, sub] for sub in subcommands]
        else:
            found.append([name])
    return found


LEAVES = leaf_commands()
IDS = [" ".join(leaf) for leaf in LEAVES]


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


@pytest.mark.parametrize("leaf", LEAVES, ids=IDS)
def test_an_unknown_option_exits_1_in_one_line_even_with_detailed_exitcode(leaf):
    result = seqops(*leaf, "--no-such-flag", "--detailed-exitcode")
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"error: no such option '--no-such-flag' (see 'seqops {' '.join(leaf)} -h')"
    ]
    assert "Traceback" not in result.output


def test_a_misspelt_option_suggests_the_right_one():
    result = seqops("plan", "--detailed-exitcode", "--targte", "prod")
    assert result.exit_code == 1
    assert error_lines(result) == ["error: no such option '--targte' (did you mean '--target'?)"]


def test_a_bad_choice_lists_the_choices_in_one_line():
    result = seqops("plan", "--format", "yaml", "--detailed-exitcode")
    assert result.exit_code == 1
    assert error_lines(result) == [
        "error: invalid value for '--format': 'yaml' is not one of 'text', 'json', 'markdown', "
        "'html'"
    ]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["plna"], "no such command 'plna' (did you mean 'plan'?)"),
        (["xyzzy"], "no such command 'xyzzy' (see 'seqops -h')"),
        (["sandbox", "xyz"], "no such command 'xyz' (see 'seqops sandbox -h')"),
        (["plan", "--target"], "option '--target' requires an argument (see 'seqops plan -h')"),
        (
            ["plan", "--detailed-exitcode", "--format"],
            "option '--format' requires an argument (see 'seqops plan -h')",
        ),
        (
            ["completion"],
            "missing argument 'SHELL'. Choose from: bash, zsh, fish (see 'seqops completion -h')",
        ),
        (["show"], "missing argument 'PLANFILE' (see 'seqops show -h')"),
        (
            ["show", "a.json", "b.json"],
            "got unexpected extra argument(s) (b.json) (see 'seqops show -h')",
        ),
        (
            ["completion", "tcsh"],
            "invalid value for 'SHELL': 'tcsh' is not one of 'bash', 'zsh', 'fish'",
        ),
        (
            ["sandbox", "serve", "--port", "many"],
            "invalid value for '--port': input should be a valid integer, unable to parse string "
            "as an integer",
        ),
        (
            ["sandbox", "serve", "--fault-rate", "3"],
            "invalid value for '--fault-rate': input should be less than or equal to 1",
        ),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_other_usage_errors_exit_1_in_one_line(args, line):
    """One lower-case line naming what was wrong, without click's full stop, and where to
    look when there is somewhere to look (the command's -h)."""
    result = seqops(*args)
    assert result.exit_code == 1
    assert error_lines(result) == [f"error: {line}"]
    assert "╭" not in result.output and "Traceback" not in result.output


def test_a_misspelt_command_suggests_the_right_one():
    result = seqops("plna")
    assert error_lines(result) == ["error: no such command 'plna' (did you mean 'plan'?)"]


def test_a_misspelt_subcommand_suggests_the_right_one():
    result = seqops("sandbox", "srve")
    assert error_lines(result) == ["error: no such command 'srve' (did you mean 'serve'?)"]


def test_two_close_options_are_both_suggested():
    result = seqops("--verbsoe")
    assert error_lines(result) == [
        "error: no such option '--verbsoe' (did you mean '--verbose' or '--version'?)"
    ]


def test_a_misspelt_help_flag_suggests_help():
    result = seqops("plan", "--hepl")
    assert error_lines(result) == ["error: no such option '--hepl' (did you mean '--help'?)"]


def test_an_unknown_option_is_never_answered_with_a_command():
    """`seqops --plan`: `plan` is a command, not an option: suggesting it as the option the
    user meant would be wrong, so only the help is pointed at."""
    result = seqops("--plan")
    assert error_lines(result) == ["error: no such option '--plan' (see 'seqops -h')"]


@pytest.mark.parametrize("leaf", LEAVES, ids=IDS)
def test_every_command_takes_h_and_shows_flags_as_flags(leaf):
    result = seqops(*leaf, "-h")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: seqops {' '.join(leaf)} ")
    assert "-h, --help" in result.stdout
    # typer's default labels every value with its Python type, flags included
    assert not re.search(r"<(bool|str|int|float|path|list\[\w+\])>", result.stdout)
    assert "-v, --verbose " in result.stdout  # a flag: nothing follows it but its help
    assert "--no-color " in result.stdout


@pytest.mark.parametrize("leaf", LEAVES, ids=IDS)
def test_every_command_with_a_target_takes_t(leaf):
    command = load_command(leaf[0])
    if len(leaf) > 1:
        command = command.commands[leaf[1]]
    for param in command.params:
        if "--target" in param.opts:
            assert "-t" in param.opts


def test_paths_are_shown_as_path():
    assert "Usage: seqops plan [OPTIONS] [PATH]..." in seqops("plan", "-h").stdout


def test_group_help_and_bare_group():
    assert seqops("-h").exit_code == 0
    assert seqops("sandbox", "-h").exit_code == 0
    bare = seqops("sandbox")
    assert bare.exit_code == 1  # a command is missing: an error, with the help to choose one
    assert "serve" in bare.stderr


def test_version_comes_from_the_package_metadata():
    result = seqops("--version")
    assert result.exit_code == 0
    assert result.stdout == f"seqops {version('seqops')}\n"


def test_global_options_go_before_the_command(tmp_path):
    (tmp_path / "empty.yaml").write_text("")
    before = seqops("-v", "--no-color", "validate", str(tmp_path))
    after = seqops("validate", str(tmp_path), "-v", "--no-color")
    assert before.exit_code == after.exit_code
    assert before.output == after.output
    assert "no such option" not in before.output


def first_option_with_a_value(leaf: list[str]) -> str | None:
    command = load_command(leaf[0])
    command = command.commands[leaf[1]] if len(leaf) > 1 else command
    options = [p.opts[0] for p in command.params if p.opts[0].startswith("--") and not p.is_flag]
    return options[0] if options else None


WITH_VALUES = [(leaf, o) for leaf in LEAVES if (o := first_option_with_a_value(leaf))]


@pytest.mark.parametrize(
    ("leaf", "option"), WITH_VALUES, ids=[" ".join(leaf) for leaf, _ in WITH_VALUES]
)
def test_an_option_without_its_value_says_so_and_where_the_help_is(leaf, option):
    """Also with a global option written first: it is never taken for the missing value."""
    for args in ([*leaf, option], ["-v", *leaf, option], ["--no-color", *leaf, option]):
        result = seqops(*args)
        assert result.exit_code == 1, args
        assert error_lines(result) == [
            f"error: option '{option}' requires an argument (see 'seqops {' '.join(leaf)} -h')"
        ], args


def test_a_double_dash_still_ends_the_options(tmp_path):
    result = seqops("-v", "validate", "--", str(tmp_path))
    assert "no such option" not in result.output
