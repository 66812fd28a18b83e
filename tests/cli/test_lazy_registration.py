"""`seqops.cli` lists every command without importing it, and runs each one as typer builds it."""

import subprocess
import sys

import pytest

from seqops.cli import COMMANDS, load_command

HEAVY = ("seqops.plan.planner", "seqops.providers.outreach", "seqops.sandbox", "httpx")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_listed_help_is_the_commands_own(name):
    command = load_command(name)
    assert command.name == name
    assert command.get_short_help_str(limit=200) == COMMANDS[name].help


def imported_after(*args: str) -> set[str]:
    script = (
        "import sys\n"
        "from seqops.cli import app\n"
        "try:\n"
        f"    app({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\nMODULES', *sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    last = done.stdout.splitlines()[-1]
    assert last.startswith("MODULES ")
    return set(last.split()[1:])


def test_help_imports_no_command(tmp_path):
    modules = imported_after("--help")
    assert not modules & {entry.module for entry in COMMANDS.values()}
    assert not modules & {*HEAVY, "seqops.manifest"}


def test_validate_imports_neither_planner_nor_http(tmp_path):
    modules = imported_after("validate", str(tmp_path))
    assert "seqops.manifest.loader" in modules
    assert not modules & set(HEAVY)


def test_lint_of_valid_manifests_needs_neither_json_schema_nor_providers(tmp_path):
    """Lint lets the models decide and asks the JSON Schema only to explain a refused document
    (jsonschema costs a fifth of a lint of a few dozen emails); it reads merge fields without
    what fetching prospects needs. Validate checks every document against the schema."""
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    (manifests / "t.yaml").write_text(
        "apiVersion: seqops/v1\nkind: Template\nmetadata: {name: hello}\n"
        "spec: {subject: Hi {{first_name}}, bodyHtml: <p>Hello</p>}\n"
    )
    linted = imported_after("lint", str(manifests))
    assert "seqops.lint.engine" in linted
    assert not linted & {"jsonschema", "seqops.providers.base", "seqops.lint.sarif", *HEAVY}
    assert "jsonschema" in imported_after("validate", str(manifests))
    (manifests / "t.yaml").write_text("apiVersion: seqops/v1\nkind: Template\nmetadata: {}\n")
    assert "jsonschema" in imported_after("lint", str(manifests))  # to explain what is wrong
