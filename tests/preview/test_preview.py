"""`seqops preview` through the real CLI against the embedded sandbox: a template rendered
with a real prospect's data, and per merge field how many of a sample would get nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seqops.cli import app
from seqops.manifest.models import manifest_adapter
from seqops.preview.fill import Person, empty_counts, render
from seqops.sandbox.app import create_app
from seqops.sandbox.seed import create

TEMPLATE = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec:
  subject: "{{account.name}} and forecasting, {{first_name}}"
  bodyHtml: "<p>Hi {{first_name}} at {{company}}, {{title}}.</p><p>{{sender.first_name}}</p>"
"""


def seqops(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "intro.yaml").write_text(TEMPLATE)
    return tmp_path


def add_prospects(workdir: Path, attributes: list[dict]) -> list[int]:
    """Prospects as an Outreach user would have them, written into the embedded sandbox."""
    (workdir / ".seqops").mkdir(exist_ok=True)
    sandbox = create_app(db=str(workdir / ".seqops" / "sandbox.db")).state.sandbox
    try:
        return [create(sandbox.context, "prospect", a) for a in attributes]
    finally:
        sandbox.close()


def test_one_prospect_sees_its_own_values(workdir):
    (id,) = add_prospects(
        workdir, [{"firstName": "Zelda", "company": "Hyrule Inc", "title": "CEO"}]
    )
    result = seqops("preview", "intro", "--manifests", "manifests", "--prospect", str(id))
    assert result.exit_code == 0, result.output
    assert "Subject: Hyrule Inc and forecasting, Zelda" in result.stdout
    assert "<p>Hi Zelda at Hyrule Inc, CEO.</p>" in result.stdout
    assert "<p>Sandy</p>" in result.stdout  # its owner (the API user) stands in for the sender
    assert "is empty" not in result.stdout


COUNT = re.compile(r"^\{\{([\w.]+)\}\} empty for (\d+) of (\d+)$", re.MULTILINE)


def sample(n: int) -> dict[str, tuple[int, int]]:
    result = seqops("preview", "intro", "--manifests", "manifests", "--sample", str(n))
    assert result.exit_code == 0, result.output
    return {name: (int(empty), int(total)) for name, empty, total in COUNT.findall(result.stdout)}


def test_sample_counts_empty_values_per_variable(workdir):
    before = sample(100)  # the sandbox's own prospects (some of them lack a title)
    assert set(before) == {"account.name", "first_name", "company", "title", "sender.first_name"}
    add_prospects(workdir, [{"firstName": "", "title": "CTO"}] * 3)
    after = sample(100)
    for name in ("first_name", "company", "account.name"):  # no account: company stands in
        assert after[name] == (before[name][0] + 3, before[name][1] + 3), name
    assert after["title"] == (before["title"][0], before["title"][1] + 3)
    assert after["sender.first_name"][0] == before["sender.first_name"][0]


def test_sample_takes_the_first_n_prospects(workdir):
    assert {total for _, total in sample(5).values()} == {5}


def test_a_template_file_can_be_given_directly(workdir):
    result = seqops("preview", "manifests/intro.yaml", "--prospect", "1")
    assert result.exit_code == 0, result.output
    assert "Template intro for prospect 1" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["intr", "--manifests", "manifests"], "no Template named 'intr': did you mean 'intro'?"),
        (["intro", "--manifests", "manifests", "--prospect", "99999"], "no prospect with id 99999"),
        (["intro", "--manifests", "manifests", "--prospect", "1", "--sample", "2"], "not both"),
    ],
)
def test_errors_are_one_line_and_exit_1(workdir, args, message):
    result = seqops("preview", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_filling_keeps_malformed_braces_and_reports_each_empty_field_once():
    template = manifest_adapter.validate_python(
        {
            "apiVersion": "seqops/v1",
            "kind": "Template",
            "metadata": {"name": "t"},
            "spec": {
                "subject": "{{first_name}} {first_name}",
                "bodyHtml": "{{x}} {{x}} {{first_name}",
            },
        }
    )
    rendered = render(template, Person(1, {"first_name": "Ada"}))
    assert rendered.subject == "Ada {first_name}"
    assert rendered.body == "  {{first_name}"
    assert rendered.empty == ["x"]
    assert empty_counts(template, [Person(1, {}), Person(2, {"x": "y"})]) == {
        "first_name": 2,
        "x": 1,
    }
