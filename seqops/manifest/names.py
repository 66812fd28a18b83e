"""Manifest names made from display names: one `slugify` for every path that makes one
(export's file and metadata names, adoption's names for unowned objects, `sandbox enroll`
finding a sequence by the name export would give it), so they always agree.

python-slugify transliterates what Unicode normalisation cannot (`Łódź` -> `lodz`, `Straße`
-> `strasse`, Cyrillic and CJK too), where a hand-made ASCII fold silently dropped letters.
"""

from __future__ import annotations

from slugify import slugify as _slugify

MAX_SLUG = 80
"""Long display names make unreadable file names; an id suffix keeps truncated ones unique."""


def slugify(text: str) -> str:
    """`Łódź outreach: Été 🚀` -> `lodz-outreach-ete`: a valid metadata name (lowercase letters,
    digits and '-'), or '' when nothing readable is left."""
    return _slugify(text, max_length=MAX_SLUG, lowercase=True, separator="-")
