"""Resuming an interrupted replace from live state alone (DESIGN §4, `seqops.plan.versions`).

A replace writes, in this order: the new version (tagged with the key, disabled), its steps,
`enable` on it, the old version's tag and name rewritten (`--retiring` and `(vM, retiring)`,
or `--retired` and `(vM, retired)`), then `enable` or `disable` on it when its fate says so
(`seqops.plan.retiring`). A crash or a failed request can stop it after any of these writes.
The next plan sees the current version (highest version owned by the key) and the *older
versions* still tagged with the key, and plans forward:

- the current version's missing steps are created (an update, never a second v2);
- it is enabled when the manifest says so or, when the manifest does not say, when an older
  version is still enabled (the replace was going to enable it);
- every older version gets its fate (`seqops.plan.old_versions`) *after* that, and only if it
  succeeded: at no instant are both versions disabled while prospects are active in the old
  one.
"""

from __future__ import annotations

from seqops.manifest.models import Sequence
from seqops.plan.live import is_enabled, spec_of
from seqops.plan.versions import version_of
from seqops.providers.base import LiveObject


def wants_enabled(desired: Sequence, current: LiveObject, older: list[LiveObject]) -> bool | None:
    """Whether the current version should be enabled; None when the manifest leaves it alone
    and no replace is being resumed."""
    if desired.spec.enabled is not None:
        return desired.spec.enabled
    if not older:
        return None
    return is_enabled(current) or any(is_enabled(o) for o in older)


def resume_note(key: str, current: LiveObject, desired: Sequence) -> str:
    """`resuming replace of Sequence/demo: v2 has 1 of 3 steps`."""
    have, want = len(spec_of(current).steps), len(desired.spec.steps)
    where = f"resuming replace of Sequence/{key}: v{version_of(current.display_name)}"
    if have < want:
        return f"{where} has {have} of {want} steps"
    state = "enabled" if is_enabled(current) else "disabled"
    return f"{where} has all {want} steps and is {state}"
