"""`Caseless` finds what `re.IGNORECASE` finds: the facts about `str.lower()` it rests on hold
for every code point, and the way-out patterns give the same spans either way."""

from __future__ import annotations

import re
import string
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqops.lint import optout
from seqops.lint.caseless import SPECIAL, Caseless

EVERY = [chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000]


def test_lowercase_keeps_every_offset_but_for_one_special():
    assert [c for c in EVERY if len(c.lower()) != 1] == ["\u0130"]


def test_only_a_letters_capital_and_the_kelvin_sign_lower_to_it():
    lowering_to_ascii = {c for c in EVERY if c.lower() in string.ascii_lowercase}
    assert lowering_to_ascii == set(string.ascii_letters) | {"\u212a"}


def test_ignorecase_takes_no_other_character_for_an_ascii_letter():
    letter = re.compile("[a-z]", re.IGNORECASE)
    taken = {c for c in EVERY if letter.fullmatch(c)}
    assert taken - set(string.ascii_letters) == {"\u212a", *SPECIAL}


def test_lowercase_changes_no_characters_class():
    changed = [
        c
        for c in EVERY
        if c not in SPECIAL
        and (c.isspace() != c.lower().isspace() or c.isalnum() != c.lower().isalnum())
    ]
    assert changed == []


PATTERNS = [optout.OFFER, optout._INTENT]
WORDS = [
    *"  \n-_'\"\u2019\u201c\u201d.",
    "unsubscribe",
    "Unsubscribing",
    "UNSUBSCRIBE rates",
    "opt out",
    "Opt-Out",
    "opt_out",
    "email",
    "E-Mail",
    "preferences",
    "Manage",
    "your",
    "settings",
    "update",
    "preference",
    "center",
    "remove me",
    "Stop",
    "STOP",
    "no",
    "NO",
    "I\u2019ll stop",
    "not interested",
    "won't bother",
    "receiving",
    "these emails",
    *SPECIAL,
    "\u212a",
    "x",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=20).map("".join))
def test_the_way_out_patterns_find_what_ignorecase_finds(text):
    for pattern in PATTERNS:
        expected = [m.span() for m in pattern.exact.finditer(text)]
        assert list(pattern.spans(text)) == expected
        assert pattern.found(text) == bool(expected)


@pytest.mark.parametrize("text", ["UN\u017fUBSCRIBE", "unsubscr\u0130be", "Opt Out \u0131"])
def test_text_with_a_special_is_read_as_ignorecase_reads_it(text):
    caseless = Caseless(r"unsubscribe|opt out")
    assert caseless.found(text) == bool(caseless.exact.search(text))
    assert [caseless.exact.search(text).span()] == list(caseless.spans(text))
