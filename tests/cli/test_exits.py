"""`seqops.cli.exits.run`: the last line of defence between any command and the user."""

from __future__ import annotations

import pytest

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
