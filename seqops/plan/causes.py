"""Why a plan would stop so many sequences: the likely cause a refusal names.

A mass stop is almost always a mistake in what was given, not in the account: a subfolder
passed instead of the manifest root, a branch where the sequences were marked `state: absent`,
a checkout missing a folder. Comparing the kinds of manifests given with what seqops owns tells
which, so the refusal can say it in one phrase.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

RETIRED_WITHOUT_MANIFEST = "no manifest: retired"
"""The reason of every change that retires an owned object no manifest names (a re-tag that
names pending prospects adds to it): what `seqops.plan.skipped` looks for."""
MARKED_ABSENT = "state: absent"


def likely_cause(given: Mapping[str, int], stopped: Sequence[Any]) -> str:
    """One phrase (`likely cause: ...`) or "" when nothing stands out; `given` is how many
    manifests of each kind were given, `stopped` the changes that stop sequences."""
    sequences = given.get("Sequence", 0)
    if not sequences:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(given.items())) or "none"
        return (
            f"likely cause: no Sequence manifest was given (only {kinds}): "
            "a subfolder or a wrong path given by mistake?"
        )
    reasons = {c.reason for c in stopped}
    if reasons == {MARKED_ABSENT}:
        return "likely cause: the manifests mark these sequences `state: absent`"
    orphans = sum(c.reason == RETIRED_WITHOUT_MANIFEST for c in stopped)
    if orphans:
        return (
            f"likely cause: {orphans} owned sequence(s) have no manifest among the {sequences} "
            "Sequence manifests given: only some of the manifest folders given?"
        )
    return ""
