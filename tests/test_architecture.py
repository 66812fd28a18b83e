"""The rooms of seqops and what each may import (docs/architecture.md), held by a test.

import-linter checks the contracts of `[tool.importlinter]` in pyproject.toml: the layers, no
import circles, providers that never know the emulator, a core without typer or rich. Each
contract is also broken once, on a copy of the package with one offending module added, to
show that it can fail. And nothing in seqops/ imports a dependency's private module, except
the one fenced shim over typer's vendored click (`seqops/cli/clickcompat.py`).
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "seqops"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
SHIM = PACKAGE / "cli" / "clickcompat.py"


def contracts() -> dict[str, str]:
    """Contract id -> name, as pyproject.toml declares them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {c["id"]: c["name"] for c in config["contracts"]}


def lint_imports(where: Path, *contract: str) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the `seqops` package found in `where` (only `contract`, if given)."""
    only = [arg for c in contract for arg in ("--contract", c)]
    env = {**os.environ, "PYTHONPATH": str(where), "COLUMNS": "200"}
    return subprocess.run(
        [str(LINT_IMPORTS), str(ROOT / "pyproject.toml"), "--no-cache", *only],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(contracts())} kept, 0 broken." in result.stdout


BREAKERS = {
    # contract id: {module path under seqops/: its source}
    "layers": {"manifest/_upward.py": "import seqops.plan.plan\n"},
    "acyclic": {
        "plan/_ping.py": "from seqops.plan import _pong\n",
        "plan/_pong.py": "from seqops.plan import _ping\n",
    },
    "providers-know-no-emulator": {"providers/_emulated.py": "import seqops.sandbox.app\n"},
    "core-without-typer": {"plan/_prompt.py": "import typer\n"},
    "core-without-output": {"apply/_coloured.py": "from rich.console import Console\n"},
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package, kept by every contract (checked once)."""
    where = tmp_path_factory.mktemp("pristine")
    shutil.copytree(PACKAGE, where / "seqops", ignore=shutil.ignore_patterns("__pycache__"))
    return where


@pytest.mark.parametrize("contract", sorted(BREAKERS))
def test_a_contract_fails_when_broken(contract, pristine, tmp_path):
    assert set(BREAKERS) == set(contracts()), "every contract has a way to break it"
    copy = tmp_path / "seqops"
    shutil.copytree(pristine / "seqops", copy)
    for relative, source in BREAKERS[contract].items():
        (copy / relative).write_text(source)
    result = lint_imports(tmp_path, contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 1 broken." in result.stdout
    offender = Path(next(iter(BREAKERS[contract]))).stem
    assert offender in result.stdout, result.stdout  # the report names the offending module


def test_a_new_room_must_be_given_its_place(pristine, tmp_path):
    copy = tmp_path / "seqops"
    shutil.copytree(pristine / "seqops", copy)
    (copy / "newroom").mkdir()
    (copy / "newroom" / "__init__.py").write_text('"""A room nobody placed."""\n')
    result = lint_imports(tmp_path, "layers")
    assert result.returncode == 1, result.stdout
    assert "seqops.newroom" in result.stdout


# --- private modules of dependencies ------------------------------------------------------


def private_imports(source: str) -> list[str]:
    """Names a module imports from a dependency's private module (`x._y`, `_x`), in order;
    seqops' own modules and `__future__` are not dependencies."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [n for n in names if _private(n)]
    return found


def _private(name: str) -> bool:
    parts = name.split(".")
    if parts[0] in ("seqops", "__future__"):
        return False
    return any(p.startswith("_") and not p.startswith("__") for p in parts)


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("from typer._click.core import Command\n", ["typer._click.core"]),
        ("import typer._completion_shared as s\n", ["typer._completion_shared"]),
        ("def f():\n    from _ruamel_yaml import CParser\n", ["_ruamel_yaml"]),
        ("from typer.completion import get_completion_script\n", []),
        ("from __future__ import annotations\nfrom seqops.cli import _x\n", []),
        ("from . import _local\n", []),
    ],
)
def test_the_private_import_check_finds_them(source, found):
    assert private_imports(source) == found


def test_no_module_imports_a_dependency_s_private_modules_but_the_shim():
    offenders = {
        str(path.relative_to(ROOT)): names
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != SHIM and (names := private_imports(path.read_text()))
    }
    assert offenders == {}
    assert private_imports(SHIM.read_text()), "the shim is where the private imports are"


# --- a thin CLI ----------------------------------------------------------------------------

LONGEST = 40
"""Lines a function of seqops/cli/ may take, signature and docstring included: options are
declared once as Annotated aliases, and grouped into small dataclasses (`ApplyFlags`,
`ServeOptions`) that the core's objects are built from."""


def test_no_cli_function_is_long():
    long = {
        f"{path.relative_to(ROOT)}:{node.name}": node.end_lineno - node.lineno + 1
        for path in sorted((PACKAGE / "cli").glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > LONGEST
    }
    assert long == {}
