"""Patterns rewritten so that `re` skips to their first character match what they matched."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from seqops.lint import placeholders
from seqops.preview import mergefields

OLD_SINGLE = re.compile(r"(?<!\{)\{(?!\{)([^{}\n]{1,80})\}(?!\})")
OLD_DIGITS = re.compile(r"\d[\d .()-]{5,}\d|[xX]{3}")
TEXT = st.lists(st.sampled_from([*"{}|\n ab1xX.()-", "{{", "}}", "555", "x"]), max_size=40)


@settings(max_examples=500, deadline=None)
@given(TEXT.map("".join))
def test_single_braces_are_found_where_they_were(text):
    new = [(m.span(), m.groups()) for m in mergefields._SINGLE.finditer(text)]
    assert new == [(m.span(), m.groups()) for m in OLD_SINGLE.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(TEXT.map("".join))
def test_phone_digits_are_seen_where_they_were(text):
    new = any(pattern.search(text) for pattern in placeholders._DIGITS)
    assert new == bool(OLD_DIGITS.search(text))
