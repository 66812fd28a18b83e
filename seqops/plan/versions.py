"""Versions of a sequence: how a `replace` names them and how the next plan tells them apart.

A replace creates `<displayName> (v2)` (then v3, ...) owned by the same key, with the full step
list. What becomes of the old version follows what Outreach does to people: a disabled sequence
sends nothing to anyone in it. So the old version *drains* by default: while it holds active or
paused prospects it stays enabled, re-tagged `seqops:<name>--retiring` and renamed
`<displayName> (vM, retiring)` so that nobody adds people to it; every later plan counts its
prospects and disables it once it holds none. An old version that holds nobody (or that
`spec.onReplace: stop` halts) is *retired* at once: re-tagged `seqops:<name>--retired`, renamed
`<displayName> (vM, retired)` and disabled.

A replace is a state machine whose every state is visible in live state alone, so the next plan
resumes it (`seqops.plan.recovery`): v2 created, v2 partly stepped, v2 complete but disabled,
v2 enabled, v1 re-tagged but not yet renamed or disabled. While apply is half-way two live
sequences are owned by the same key; the current one is the one with the highest version in its
display name (no suffix = v1), the others are superseded. A tie is an error, never a guess. A
retired version that is still enabled is always planned as a disable.

Version numbers are read from every name a sequence ever had under seqops (`Demo (v3)`,
`Demo (v3, retiring)`, `Demo (v3, retired)`), so numbering never reuses a version.
"""

from __future__ import annotations

import re

RETIRED, RETIRING = "retired", "retiring"
RETIRED_SUFFIX = f"--{RETIRED}"
RETIRING_SUFFIX = f"--{RETIRING}"
NAME_LIMIT = 255
"""The API's limit on a sequence's name."""
_VERSION = re.compile(r"^(?P<base>.*) \(v(?P<n>[0-9]+)(?:, (?P<stage>retiring|retired))?\)$")
_ELLIPSIS = "…"


def retired_owner(name: str) -> str:
    """The ownership key of an old version that no longer sends (disabled for good)."""
    return f"{name}{RETIRED_SUFFIX}"


def retiring_owner(name: str) -> str:
    """The ownership key of an old version that drains: enabled while prospects are in it."""
    return f"{name}{RETIRING_SUFFIX}"


def is_retired(owner: str | None) -> bool:
    """Tagged `--retired`: an old version, done."""
    return owner is not None and owner.endswith(RETIRED_SUFFIX)


def is_retiring(owner: str | None) -> bool:
    """Tagged `--retiring`: an old version draining."""
    return owner is not None and owner.endswith(RETIRING_SUFFIX)


def is_old_version(owner: str | None) -> bool:
    """An old version (retiring or retired): never the current object of its key."""
    return is_retired(owner) or is_retiring(owner)


def retired_key(owner: str) -> str:
    """`demo` for the owner `demo--retired` or `demo--retiring` (the key of its sequence)."""
    return owner.removesuffix(RETIRED_SUFFIX).removesuffix(RETIRING_SUFFIX)


def version_of(display_name: str) -> int:
    """2 for `Demo (v2)` and `Demo (v2, retiring)`; 1 for a name without a version suffix."""
    match = _VERSION.match(display_name)
    return int(match["n"]) if match else 1


def base_name(display_name: str) -> str:
    match = _VERSION.match(display_name)
    return match["base"] if match else display_name


def stage_of(display_name: str) -> str | None:
    """`retiring` or `retired` when the name says so, else None."""
    match = _VERSION.match(display_name)
    return match["stage"] if match else None


def same_display_name(desired: str, live: str) -> bool:
    """A live `Demo (v3)` is what a manifest saying `Demo` looks like after replaces."""
    return live == desired or (
        base_name(live) == desired and version_of(live) >= 2 and stage_of(live) is None
    )


def next_version_name(desired: str, live_names: list[str], floor: int = 1) -> str:
    """`<desired> (vN)`, N one above every live version of that name and above `floor` (the
    highest version the sequence itself reached, under whatever name), at least 2: a gap in
    the numbers is never filled with a name that is live, nor a version number reused."""
    taken = [version_of(n) for n in live_names if base_name(n) == desired]
    return f"{desired} (v{max([floor, *taken]) + 1})"


def old_version_name(display_name: str, stage: str) -> str:
    """`Demo (v1, retiring)` for a live `Demo` (or `Demo (v1, retired)`...), cut with an
    ellipsis to the API's limit when the live name is already near it."""
    suffix = f" (v{version_of(display_name)}, {stage})"
    base = base_name(display_name)
    room = NAME_LIMIT - len(suffix)
    if len(base) > room:
        base = base[: room - len(_ELLIPSIS)] + _ELLIPSIS
    return base + suffix


def longest_length(new_name: str) -> int:
    """The length of the longest name a version called `new_name` can get: its own name once
    it drains in turn (`Demo (v2, retiring)`), before any cut."""
    return len(base_name(new_name)) + len(f" (v{version_of(new_name)}, {RETIRING})")


def renamed(desired: str, live: str, live_names: list[str]) -> str:
    """The display name an update writes: a versioned live sequence keeps its suffix (live
    `Trial nurture (v3)`, manifest `New name` -> `New name (v3)`; manifest `Trial nurture` ->
    the live name, unchanged), unless another live sequence holds that name (then the next free
    version). A manifest that writes a suffix itself, or a live v1, gets exactly what the
    manifest says."""
    version = version_of(live)
    if same_display_name(desired, live):
        return live
    if version < 2 or version_of(desired) >= 2:
        return desired
    candidate = f"{desired} (v{version})"
    others = [n for n in live_names if n != live]
    return candidate if candidate not in others else next_version_name(desired, others, version)
