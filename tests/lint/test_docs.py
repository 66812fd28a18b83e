"""Every registered rule is documented in docs/lint.md: heading, example, how to silence it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from seqops.lint import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "lint.md"


def sections() -> dict[str, str]:
    text = DOC.read_text()
    parts = re.split(r"^### `([\w/-]+)`$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize("rule_id", list(RULES))
def test_every_rule_is_documented_with_an_example_and_how_to_silence_it(rule_id):
    section = sections().get(rule_id)
    assert section is not None, f"docs/lint.md has no `### \\`{rule_id}\\`` section"
    assert "```yaml" in section, "an example of what it catches"
    assert "Silence it" in section
    assert f"{rule_id} {RULES[rule_id].severity}:" in section, "the finding it prints"


def test_the_doc_lists_no_rule_that_does_not_exist():
    assert set(sections()) <= set(RULES)
