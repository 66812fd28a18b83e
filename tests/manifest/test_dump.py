"""Writing manifests: what `dump` writes, `load` reads back to equal resources."""

from seqops.manifest import dump, load

from .documents import EXAMPLES


def test_the_examples_round_trip(tmp_path):
    original = load([EXAMPLES])
    (tmp_path / "all.yaml").write_text(dump(original.resources))
    again = load([tmp_path])
    assert again.ok, [str(e) for e in again.errors]
    assert again.resources == original.resources


def test_the_output_reads_like_a_hand_written_manifest():
    result = load([EXAMPLES / "sequences" / "webinar-followup.yaml"])
    text = dump(result.resources)
    assert text.startswith("apiVersion: seqops/v1\nkind: Sequence\nmetadata:\n  name: webinar")
    assert "primaryReplyPauseDuration: 1w\n" in text
    assert "    - type: auto_email\n      date: 2027-02-11\n" in text
    assert "isReply: false" not in text and "state:" not in text, "defaults are left out"


def test_durations_and_multi_line_text(tmp_path):
    result = load([EXAMPLES / "templates" / "inbound-thanks.yaml", EXAMPLES / "rulesets.yaml"])
    text = dump(result.resources)
    assert "  bodyHtml: |\n    <p>Hi {{first_name}},</p>\n" in text
    assert "autoResumeOotoProspectsIn: 1d\n" in text
    assert "\n---\n" in text
