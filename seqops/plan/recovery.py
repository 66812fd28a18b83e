"""Resuming an interrupted replace from live state alone (DESIGN §4, `seqops.plan.versions`).

A replace writes, in this order: the new version (tagged with the key, disabled), its steps,
`enable` on it, the old version's tag rewritten to `seqops:<key>--retired`, `disable` on it.
A crash or a failed request can stop it after any of these writes. The next plan sees the
current version (highest version owned by the key) and the *older versions* still to retire
(owned by the key, or re-tagged retired but still enabled), and plans forward:

- the current version's missing steps are created (an update, never a second v2);
- it is enabled when the manifest says so or, when the manifest does not say, when an older
  version is still enabled (the replace was going to enable it);
- every older version is disabled (and re-tagged) *after* that, and only if it succeeded: at no
  instant are both versions disabled while prospects are active in the old one.
"""

from __future__ import annotations

from seqops.manifest.models import Sequence
from seqops.plan.changes import Disable
from seqops.plan.diff import FieldDiff
from seqops.plan.versions import retired_owner, version_of
from seqops.providers.base import LiveObject


def wants_enabled(desired: Sequence, current: LiveObject, older: list[LiveObject]) -> bool | None:
    """Whether the current version should be enabled; None when the manifest leaves it alone
    and no replace is being resumed."""
    if desired.spec.enabled is not None:
        return desired.spec.enabled
    if not older:
        return None
    return _enabled(current) or any(_enabled(o) for o in older)


def resume_note(key: str, current: LiveObject, desired: Sequence) -> str:
    """`resuming replace of Sequence/demo: v2 has 1 of 3 steps`."""
    have, want = len(current.resource.spec.steps), len(desired.spec.steps)  # type: ignore[attr-defined]
    where = f"resuming replace of Sequence/{key}: v{version_of(current.display_name)}"
    if have < want:
        return f"{where} has {have} of {want} steps"
    state = "enabled" if _enabled(current) else "disabled"
    return f"{where} has all {want} steps and is {state}"


def retire_older(key: str, live: LiveObject, current: LiveObject | None) -> Disable:
    """Disable (and re-tag retired) an older version, after the current one is done."""
    diff = []
    if live.owner == key:
        diff.append(FieldDiff("ownership", f"seqops:{key}", f"seqops:{retired_owner(key)}"))
    if _enabled(live):
        diff.append(FieldDiff("enabled", True, False))
    then = (
        f"retired once v{version_of(current.display_name)} runs"
        if current is not None
        else "retired"
    )
    state = "still enabled" if _enabled(live) else "still owned"
    return Disable(
        kind="Sequence",
        name=key,
        existing=live,
        retire_as=retired_owner(key) if live.owner == key else None,
        old_version=True,
        diff=diff,
        reason=f"resuming replace of Sequence/{key}: v{version_of(live.display_name)} "
        f"{live.display_name!r} left {state} by an interrupted replace: {then}",
    )


def _enabled(live: LiveObject) -> bool:
    return bool(getattr(live.resource.spec, "enabled", False))
