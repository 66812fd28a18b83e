"""Semantics of A/B variants (`templates:`): each resolves, none twice, only on email steps,
never with `template:` beside it; checked through `seqops validate` on real files."""

from __future__ import annotations

from typer.testing import CliRunner

from seqops.cli import app as cli

TEMPLATES = "".join(
    f"---\napiVersion: seqops/v1\nkind: Template\nmetadata: {{name: {n}}}\n"
    f"spec: {{subject: {n}, bodyHtml: <p>{n}</p>}}\n"
    for n in ("intro-a", "intro-b")
)


def validate(tmp_path, steps: str) -> tuple[int, str]:
    sequence = (
        "---\napiVersion: seqops/v1\nkind: Sequence\nmetadata: {name: s}\nspec:\n  steps:\n" + steps
    )
    (tmp_path / "m.yaml").write_text(TEMPLATES + sequence)
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "m.yaml"), "--no-color"])
    return result.exit_code, result.output


def test_two_variants_that_resolve_are_valid(tmp_path):
    code, output = validate(tmp_path, "    - {type: auto_email, templates: [intro-b, intro-a]}\n")
    assert code == 0, output


def test_a_variant_listed_twice_is_an_error_at_its_position(tmp_path):
    code, output = validate(tmp_path, "    - {type: auto_email, templates: [intro-a, intro-a]}\n")
    assert code == 1
    assert "spec.steps[1].templates[2]: template 'intro-a' is listed twice" in output


def test_an_unknown_variant_is_an_error_with_a_suggestion(tmp_path):
    code, output = validate(tmp_path, "    - {type: auto_email, templates: [intro-a, intro-c]}\n")
    assert code == 1
    assert "no Template named 'intro-c'" in output


def test_variants_on_a_call_step_are_an_error(tmp_path):
    code, output = validate(tmp_path, "    - {type: call, templates: [intro-a]}\n")
    assert code == 1 and "a call step sends no email" in output


def test_template_and_templates_together_are_an_error(tmp_path):
    code, output = validate(
        tmp_path, "    - {type: auto_email, template: intro-a, templates: [intro-b]}\n"
    )
    assert code == 1 and "templates" in output


def test_an_empty_variant_list_is_an_error(tmp_path):
    code, _ = validate(tmp_path, "    - {type: auto_email, templates: []}\n")
    assert code == 1
