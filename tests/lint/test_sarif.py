"""SARIF through the real CLI, valid against the SARIF 2.1.0 schema in every case: findings
with a span and without, every severity, invalid manifests, a clean set; input errors are an
error exit with a clear line, never a SARIF file pointing nowhere; fingerprints and the
matched part of messages do not change when lines move."""

from __future__ import annotations

import json
import tomllib
from importlib.metadata import PackageNotFoundError
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from seqops import project
from seqops.cli import app
from seqops.lint import RULES

from .conftest import CASES, EXAMPLES, RULESET

PLANTED = sorted((CASES / "planted").glob("*.yaml"))
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@pytest.fixture(scope="module")
def schema(reference_dir: Path) -> dict:
    return json.loads((reference_dir / "sarif-schema-2.1.0.json").read_text())


def sarif(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["lint", "--format", "sarif", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def check(document: dict, schema: dict) -> None:
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
    for result in document["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] not in ("", ".")
        region = location["region"]
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(region)
        assert all(isinstance(v, int) and v >= 1 for v in region.values()), region
        assert (region["endLine"], region["endColumn"]) > (
            region["startLine"],
            region["startColumn"],
        )


@pytest.mark.parametrize("case", PLANTED, ids=lambda p: p.stem)
def test_every_planted_case_gives_valid_sarif(case, tmp_path, monkeypatch, schema):
    monkeypatch.chdir(tmp_path)
    (tmp_path / case.name).write_text(case.read_text() + RULESET)
    (tmp_path / "seqops.yaml").write_text(
        "lint:\n  rules:\n" + "".join(f"    {r}: info\n" for r in RULES if r.startswith("copy/"))
    )
    code, out, _ = sarif(case.name)
    document = json.loads(out)
    check(document, schema)
    assert document["runs"][0]["results"], "the planted problem is a result"
    assert code in (0, 1)


def test_invalid_manifests_and_a_clean_set_give_valid_sarif(tmp_path, monkeypatch, schema):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("apiVersion: seqops/v1\nkind: Template\nmetadata: [x\n")
    (tmp_path / "worse.yaml").write_bytes(b"\xff\xfe not utf-8")
    code, out, _ = sarif(".")
    assert code == 1
    check(json.loads(out), schema)
    code, out, _ = sarif(EXAMPLES)
    assert code == 0
    check(json.loads(out), schema)


@pytest.mark.parametrize("given", ["nonexistent", "k8s"])
def test_an_input_error_is_an_error_exit_not_a_sarif_file(given, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
    )
    code, out, err = sarif(given)
    validate = CliRunner().invoke(app, ["validate", given])
    assert code == 1 == validate.exit_code
    assert out == ""
    message = "no such file or directory" if given == "nonexistent" else "no manifests under k8s"
    assert f"error: {'nonexistent: ' if given == 'nonexistent' else ''}{message}" in err
    assert message in validate.output


def test_rules_have_help_uris_and_the_tool_an_information_uri(tmp_path, monkeypatch, schema):
    _, out, _ = sarif(EXAMPLES)
    driver = json.loads(out)["runs"][0]["tool"]["driver"]
    assert driver["informationUri"].startswith("https://")
    uris = [rule["helpUri"] for rule in driver["rules"]]
    assert len(set(uris)) == len(RULES) and all(u.startswith("https://") for u in uris)


def test_the_documentation_address_is_the_one_pyproject_declares(schema):
    declared = tomllib.loads(PYPROJECT.read_text())["project"]["urls"]["Documentation"]
    document = json.loads(sarif(EXAMPLES)[1])
    check(document, schema)
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == f"{declared}/lint.md"
    assert {rule["helpUri"] for rule in driver["rules"]} == {
        f"{declared}/lint.md#{rule_id.replace('/', '')}" for rule_id in RULES
    }


def test_no_module_names_the_address_itself():
    declared = tomllib.loads(PYPROJECT.read_text())["project"]["urls"]
    sources = [p.read_text() for p in (PYPROJECT.parent / "seqops").rglob("*.py")]
    assert not [url for url in declared.values() for text in sources if url in text]


def test_a_checkout_never_installed_reads_the_address_from_pyproject(monkeypatch):
    def not_installed(name: str):
        raise PackageNotFoundError(name)

    declared = tomllib.loads(PYPROJECT.read_text())["project"]["urls"]["Documentation"]
    monkeypatch.setattr(project, "metadata", not_installed)
    project.urls.cache_clear()
    try:
        assert project.documentation("lint.md") == f"{declared}/lint.md"
    finally:
        project.urls.cache_clear()


def test_a_finding_keeps_its_fingerprint_and_matched_text_when_lines_move(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    case = (CASES / "planted" / "merge-field-unknown.yaml").read_text() + RULESET
    (tmp_path / "t.yaml").write_text(case)
    before = json.loads(sarif("t.yaml")[1])["runs"][0]["results"]
    (tmp_path / "t.yaml").write_text("# a comment\n# and another\n" + case)
    after = json.loads(sarif("t.yaml")[1])["runs"][0]["results"]
    assert len(before) == len(after) == 1
    old, new = before[0], after[0]
    assert new["locations"][0]["physicalLocation"]["region"]["startLine"] == (
        old["locations"][0]["physicalLocation"]["region"]["startLine"] + 2
    )
    assert new["partialFingerprints"] == old["partialFingerprints"]
    first_line = RULES["merge-field/unknown"].summary()
    assert new["message"]["text"].splitlines()[0] == old["message"]["text"].splitlines()[0]
    assert new["message"]["text"].splitlines()[0] == first_line, "no value in the matched line"
    assert new["message"]["arguments"] == [new["message"]["text"].splitlines()[1]]


def test_two_identical_problems_have_distinct_fingerprints(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (CASES / "planted" / "merge-field-unknown.yaml").read_text()
    text = text.replace("{{first_nmae}}", "{{first_nmae}} {{first_nmae}}", 1)
    (tmp_path / "t.yaml").write_text(text + RULESET)
    results = json.loads(sarif("t.yaml")[1])["runs"][0]["results"]
    prints = [r["partialFingerprints"]["seqopsFinding/v1"] for r in results]
    assert len(prints) == len(set(prints)) == 2


def test_a_result_without_a_span_covers_its_line_and_an_info_is_a_note(tmp_path, monkeypatch):
    """A finding about a whole line (a sequence without a ruleset) is highlighted to the end of
    that line; `info` is SARIF's `note`; a path with a space is percent-encoded."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my cases").mkdir()
    case = (CASES / "planted" / "hygiene-no-ruleset.yaml").read_text()
    (tmp_path / "my cases" / "t.yaml").write_text(case)
    (tmp_path / "seqops.yaml").write_text("lint:\n  rules:\n    hygiene/no-ruleset: info\n")
    run = json.loads(sarif("my cases")[1])["runs"][0]
    (result,) = run["results"]
    line = case.splitlines()[10]  # `  name: cold # expect: ...`, the sequence's name
    assert result["level"] == "note"
    assert result["message"] == {
        "text": "A sequence with no `ruleset`.\nsequence 'cold' has no ruleset",
        "id": "default",
        "arguments": ["sequence 'cold' has no ruleset"],
    }
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "my%20cases/t.yaml", "uriBaseId": "SRCROOT"}
    assert location["region"] == {
        "startLine": 11, "startColumn": 9, "endLine": 11, "endColumn": len(line) + 1,
    }  # fmt: skip


def test_each_rule_is_described_once_with_its_default_level_and_family(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text((CASES / "planted" / "hygiene-no-ruleset.yaml").read_text())
    rules = json.loads(sarif("t.yaml")[1])["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    described = {r["id"]: r for r in rules}
    hygiene = described["hygiene/no-ruleset"]
    assert hygiene["name"] == "HygieneNoRuleset"
    assert hygiene["defaultConfiguration"] == {"level": "warning", "enabled": True}
    assert hygiene["properties"] == {"tags": ["hygiene"]}
    assert hygiene["help"]["text"].endswith(
        "\n\nSilence it with `# seqops-lint: disable=hygiene/no-ruleset`."
    )
    assert hygiene["help"]["markdown"].endswith(
        "Silence it with `# seqops-lint: disable=hygiene/no-ruleset` on the line, or turn it "
        "off in seqops.yaml (`lint.rules`)."
    )
    assert described["content/placeholder"]["defaultConfiguration"]["level"] == "error"
    off = [r for r in RULES.values() if not r.default_enabled]
    assert off and all(not described[r.id]["defaultConfiguration"]["enabled"] for r in off)
    # braces in a rule's text are escaped, or `{0}` would not be the only argument
    malformed = described["merge-field/malformed"]["messageStrings"]["default"]["text"]
    summary = RULES["merge-field/malformed"].summary()
    assert "{" in summary
    assert malformed == summary.replace("{", "{{").replace("}", "}}") + "\n{0}"


def test_a_region_is_never_empty_even_past_the_end_of_its_line(tmp_path):
    """A finding at the end of a line (or in a file gone since) still covers one column: an
    empty region is one code scanning cannot show."""
    from seqops.lint import Finding
    from seqops.lint.finding import Severity
    from seqops.lint.sarif import to_sarif

    (tmp_path / "t.yaml").write_text("kind: Template\n")
    at_end = Finding(rule="hygiene/no-ruleset", severity=Severity.warning, message="m",
                     file="t.yaml", line=1, column=15)  # fmt: skip
    gone = Finding(rule="hygiene/no-ruleset", severity=Severity.warning, message="m",
                   file="gone.yaml", line=3, column=7)  # fmt: skip
    results = to_sarif([at_end, gone], tmp_path)["runs"][0]["results"]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in results]
    assert regions == [
        {"startLine": 1, "startColumn": 15, "endLine": 1, "endColumn": 16},
        {"startLine": 3, "startColumn": 7, "endLine": 3, "endColumn": 8},
    ]


def test_another_problem_in_the_same_field_is_another_fingerprint(tmp_path, monkeypatch):
    """Code scanning matches results across runs by fingerprint: a misspelt field fixed and
    another misspelt in its place is a new problem, not the old one still open."""
    monkeypatch.chdir(tmp_path)
    text = (CASES / "planted" / "merge-field-unknown.yaml").read_text() + RULESET
    (tmp_path / "t.yaml").write_text(text)
    before = json.loads(sarif("t.yaml")[1])["runs"][0]["results"]
    (tmp_path / "t.yaml").write_text(text.replace("{{first_nmae}}", "{{last_nmae}}", 1))
    after = json.loads(sarif("t.yaml")[1])["runs"][0]["results"]
    [old], [new] = before, after
    assert old["ruleId"] == new["ruleId"] == "merge-field/unknown"
    assert old["partialFingerprints"] != new["partialFingerprints"]
