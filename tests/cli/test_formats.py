"""The `--format` choices of validate and lint are the outputs their modules define: a format
added to one but not the other would be refused by the CLI or crash it."""

from seqops.cli import lint, validate
from seqops.lint.output import FORMATS
from seqops.manifest.report import REPORTERS


def test_validate_offers_every_reporter():
    assert [f.value for f in validate.Format] == list(REPORTERS)


def test_lint_offers_every_output():
    assert [f.value for f in lint.Format] == list(FORMATS)
