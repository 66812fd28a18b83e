"""The suite starts every test from the same environment, whatever the user's shell or the CI
runner says (`.ci/run` runs it with NO_COLOR=1 FORCE_COLOR=1 TERM=dumb COLUMNS=80 CI=true)."""

import os
import subprocess
import sys

from tests.conftest import USER_SETTINGS


def test_no_user_setting_reaches_a_test():
    assert [name for name in USER_SETTINGS if name in os.environ] == []


def test_nor_a_subprocess():
    code = f"import os; print([n for n in {USER_SETTINGS!r} if n in os.environ])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
