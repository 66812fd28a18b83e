"""The per-template rules run while the manifests load (`seqops.lint.per_template`, in the
loader's worker processes for big sets): the same findings, in the same order, as when the
linter runs every rule itself after the load, for every planted case and with settings that
change those rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqops.lint import RULES, Linter, LintSettings
from seqops.lint.per_template import inspector
from seqops.manifest import load

from .conftest import CASES, RULESET, TODAY, expected, found

PLANTED = sorted((CASES / "planted").glob("*.yaml"))
TIGHT = LintSettings.model_validate(
    {
        "customFields": ["first_nmae"],  # the misspelt field of merge-field-unknown.yaml
        "rules": {"content/subject-length": {"maxLength": 10}, "content/img-alt": "off"},
    }
)


def lint(directory: Path, settings: LintSettings, **load_options) -> list:
    result = load([directory], **load_options)
    return Linter(result, settings, today=TODAY).run()


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("settings", [LintSettings(), TIGHT], ids=["default", "tight"])
def test_loading_with_the_inspector_finds_exactly_what_the_linter_finds(
    tmp_path: Path, jobs: int, settings: LintSettings
):
    for case in PLANTED:
        directory = tmp_path / case.stem
        directory.mkdir()
        (directory / case.name).write_text(case.read_text() + RULESET)
        after = lint(directory, settings)
        during = lint(directory, settings, jobs=jobs, inspect=inspector(settings))
        assert during == after, case.name
        if settings is not TIGHT and "# enable:" not in case.read_text():  # off by default
            assert found(during) == expected(case.read_text()), case.name


def test_the_content_rules_are_the_ones_run_while_loading(tmp_path: Path):
    case = CASES / "planted" / "content-img-alt.yaml"
    (tmp_path / case.name).write_text(case.read_text() + RULESET)
    result = load([tmp_path], jobs=2, inspect=inspector(LintSettings()))
    hits = [hit for hits in result.inspected.values() if hits for hit in hits]
    assert {hit.rule for hit in hits} == {"content/img-alt"}
    assert {r.id for r in RULES.values() if r.per_template} >= {
        "merge-field/unknown",
        "merge-field/malformed",
        "content/malformed-html",
        "content/insecure-link",
        "content/placeholder",
        "content/img-alt",
        "content/subject-length",
    }
