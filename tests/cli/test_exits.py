"""`seqops.cli.exits.run`: the last line of defence between any command and the user."""

from __future__ import annotations

import pytest
import typer

from seqops.cli import clickcompat as click
from seqops.cli.exits import run


def explode(exc: BaseException):
    def invoke():
        raise exc

    return invoke


def test_an_unexpected_exception_is_one_line_and_exit_1(capsys):
    code = run(explode(RuntimeError("disk on fire\nsecond line")), verbose=False)
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        "error: unexpected RuntimeError: disk on fire second line "
        "(run again with -v for the details)\n"
    )


def test_verbose_adds_the_traceback_without_credentials(capsys):
    code = run(explode(RuntimeError("sent Authorization: Bearer tOkSecret123")), verbose=True)
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" in err
    assert "tOkSecret123" not in err


@pytest.mark.parametrize(
    ("raised", "code"),
    [(SystemExit(0), 0), (SystemExit(2), 2), (SystemExit(3), 1), (SystemExit(None), 0)],
)
def test_exit_codes_other_than_the_contracts_become_1(raised, code):
    assert run(explode(raised), verbose=False) == code


def test_a_string_exit_is_printed_as_an_error(capsys):
    assert run(explode(SystemExit("port in use")), verbose=False) == 1
    assert capsys.readouterr().err == "error: port in use\n"


def test_a_returned_code_is_kept_within_the_contract():
    assert run(lambda: None, verbose=False) == 0
    assert run(lambda: 2, verbose=False) == 2
    assert run(lambda: 7, verbose=False) == 1


def test_a_returned_true_is_an_error_and_false_a_success():
    """Only None/False/0 are success: a command that answers True has not said it changed
    anything (that is 2) nor that all is well."""
    assert run(lambda: True, verbose=False) == 1
    assert run(lambda: False, verbose=False) == 0


def test_an_aborted_prompt_says_nothing_was_changed_after_it(capsys):
    assert run(explode(typer.Abort()), verbose=False) == 1
    assert capsys.readouterr().err == "error: aborted: nothing was changed after this point\n"


def test_ctrl_c_outside_apply_says_interrupted_and_exits_130(capsys):
    assert run(explode(KeyboardInterrupt()), verbose=False) == 130
    assert capsys.readouterr().err == "error: interrupted\n"


def test_an_exception_without_a_message_says_there_are_no_details(capsys):
    assert run(explode(ValueError()), verbose=False) == 1
    assert capsys.readouterr().err == (
        "error: unexpected ValueError: no details (run again with -v for the details)\n"
    )


def test_verbose_says_the_error_then_the_traceback_ending_on_the_exception(capsys):
    """With -v the first line no longer sends the user to -v, and the traceback ends on the
    exception's own line, as Python prints it."""
    assert run(explode(RuntimeError("disk on fire")), verbose=True) == 1
    err = capsys.readouterr().err
    first, *_ = err.splitlines()
    assert first == "error: unexpected RuntimeError: disk on fire"
    assert err.endswith("\nRuntimeError: disk on fire\n")


def test_a_bad_value_without_a_parameter_is_an_invalid_value(capsys):
    assert run(explode(typer.BadParameter("Must be positive.")), verbose=False) == 1
    assert capsys.readouterr().err == "error: invalid value: must be positive\n"


def test_a_bad_value_names_every_spelling_of_its_parameter(capsys):
    raised = typer.BadParameter("Must be positive.", param_hint=["'--size'", "'-s'"])
    assert run(explode(raised), verbose=False) == 1
    assert capsys.readouterr().err == "error: invalid value for '--size' / '-s': must be positive\n"


def test_a_click_error_that_is_no_usage_error_is_one_line_too(capsys):
    """A ClickException has no command context (only usage errors carry one): the line says
    what happened, with no pointer to a help page."""
    assert run(explode(click.ClickException("Could not open file.")), verbose=False) == 1
    assert capsys.readouterr().err == "error: could not open file\n"
