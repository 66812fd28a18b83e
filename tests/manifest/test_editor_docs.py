"""docs/editors.md says what works: its check-jsonschema lines run as written on the examples,
and the examples' modelines point at schemas that accept their files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from seqops.manifest.schemas import ManifestValidator
from seqops.manifest.yamlnodes import parse

from .documents import EXAMPLES

ROOT = EXAMPLES.parent
DOC = ROOT / "docs" / "editors.md"
BIN = Path(sys.executable).parent
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)


def documented(command: str) -> list[str]:
    """The lines of the doc's shell blocks that run `command`."""
    blocks = re.findall(r"```sh\n(.*?)```", DOC.read_text(), re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.startswith(command)]


def manifests() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*.yaml") if "ci" not in p.parts)


def test_the_documented_check_jsonschema_lines_pass_on_the_examples():
    if not (BIN / "check-jsonschema").exists() and not shutil.which("check-jsonschema"):
        pytest.skip("check-jsonschema is not installed (the test extra installs it)")
    lines = documented("check-jsonschema ")
    assert len(lines) >= 2
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    for line in lines:
        run = subprocess.run(
            ["bash", "-c", line], cwd=ROOT, env=environment, capture_output=True, text=True
        )
        assert run.returncode == 0, f"{line}\n{run.stdout}{run.stderr}"


def test_the_documented_glob_covers_every_example_manifest():
    [line] = [x for x in documented("check-jsonschema ") if "manifest.schema.json" in x]
    files = {p for pattern in re.findall(r"examples/\S+", line) for p in ROOT.glob(pattern)}
    assert set(manifests()) <= files


@pytest.mark.parametrize("path", manifests(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_each_example_is_one_manifest_with_a_modeline_that_accepts_it(path: Path):
    """One document per file: a modeline covers only the first document of its file."""
    text = path.read_text()
    [document] = parse(text).documents  # as editors read it: dates stay text
    [schema_path] = MODELINE.findall(text)
    schema = (path.parent / schema_path).resolve()
    assert schema.is_file(), schema_path
    validator = ManifestValidator(json.loads(schema.read_text()))
    assert list(validator.iter_errors(document.data)) == []
