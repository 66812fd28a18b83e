"""Durations as people write them, carried as seconds."""

import pytest

from seqops.manifest import format_duration, parse_duration
from seqops.manifest.durations import duration_fields
from seqops.manifest.models import RulesetSpec, SequenceSpec, Step


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (0, 0),
        ("0", 0),
        (90, 90),
        ("45s", 45),
        ("90m", 5400),
        ("2h", 7200),
        ("2d", 172800),
        ("1w", 604800),
        (" 3d ", 259200),
        ("10 m", 600),
    ],
)
def test_parses_what_people_write(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["2 days", "1.5d", "-1d", "d", "", "2dd", True, None, 1.5, -1])
def test_refuses_anything_else_with_a_reason(bad):
    with pytest.raises(ValueError, match=r"duration"):
        parse_duration(bad)


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0"), (45, "45s"), (5400, "90m"), (172800, "2d"), (1209600, "2w")]
)
def test_formats_in_the_largest_exact_unit(seconds, text):
    assert format_duration(seconds) == text
    assert parse_duration(text) == seconds


def test_duration_fields_are_found_from_the_annotation():
    assert duration_fields(Step) == {"wait", "autoskipAfter"}
    assert duration_fields(SequenceSpec) == {
        "primaryReplyPauseDuration",
        "secondaryReplyPauseDuration",
    }
    assert "applyCompletedStageIn" in duration_fields(RulesetSpec)
