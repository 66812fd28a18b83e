"""Versions of a sequence: how a `replace` names the new one and how the next plan finds it.

A replace creates `<displayName> (v2)` (then v3, ...) owned by the same key, with the full step
list, and retires the old version: its ownership tag is rewritten from `seqops:<name>` to
`seqops:<name>--retired` and it is disabled, so prospects in it finish where they are. After a
replace exactly one live sequence is owned by `<name>`.

A replace is a state machine whose every state is visible in live state alone, so the next plan
resumes it (`seqops.plan.recovery`): v2 created, v2 partly stepped, v2 complete but disabled,
v2 enabled, v1 re-tagged retired but still enabled, v1 disabled. While apply is half-way two
live sequences are owned by the same key; the current one is the one with the highest version
in its display name (no suffix = v1), the others are superseded. A tie is an error, never a
guess. A retired version that is still enabled is always planned as a disable.
"""

from __future__ import annotations

import re

RETIRED_SUFFIX = "--retired"
_VERSION = re.compile(r"^(?P<base>.*) \(v(?P<n>[0-9]+)\)$")


def retired_owner(name: str) -> str:
    """The ownership key a replaced (old) version carries from then on."""
    return f"{name}{RETIRED_SUFFIX}"


def is_retired(owner: str | None) -> bool:
    return owner is not None and owner.endswith(RETIRED_SUFFIX)


def retired_key(owner: str) -> str:
    """`demo` for the owner `demo--retired` (the key whose replace retired it)."""
    return owner.removesuffix(RETIRED_SUFFIX)


def version_of(display_name: str) -> int:
    """2 for `Demo (v2)`; 1 for a name without a version suffix."""
    match = _VERSION.match(display_name)
    return int(match["n"]) if match else 1


def base_name(display_name: str) -> str:
    match = _VERSION.match(display_name)
    return match["base"] if match else display_name


def same_display_name(desired: str, live: str) -> bool:
    """A live `Demo (v3)` is what a manifest saying `Demo` looks like after replaces."""
    return live == desired or (base_name(live) == desired and version_of(live) >= 2)


def next_version_name(desired: str, live_names: list[str], floor: int = 1) -> str:
    """`<desired> (vN)`, N one above every live version of that name and above `floor` (the
    highest version the sequence itself reached, under whatever name), at least 2: a gap in
    the numbers is never filled with a name that is live, nor a version number reused."""
    taken = [version_of(n) for n in live_names if base_name(n) == desired]
    return f"{desired} (v{max([floor, *taken]) + 1})"


def renamed(desired: str, live: str, live_names: list[str]) -> str:
    """The display name a rename writes: a versioned live sequence keeps its suffix (live
    `Trial nurture (v3)`, manifest `New name` -> `New name (v3)`), unless another live sequence
    holds that name (then the next free version). A manifest that writes a suffix itself, or
    a live v1, gets exactly what the manifest says."""
    version = version_of(live)
    if version < 2 or version_of(desired) >= 2 or same_display_name(desired, live):
        return desired
    candidate = f"{desired} (v{version})"
    others = [n for n in live_names if n != live]
    return candidate if candidate not in others else next_version_name(desired, others, version)
