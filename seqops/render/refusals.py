"""What apply will need, said as a plan says it: a plan refuses nothing, it tells the reviewer
that apply will need a flag and why (`apply will need --allow-disruption because 2 changes
reach prospects already in sequences ...`). The safety rules' own messages are apply's refusals;
here they are reworded, not recomputed."""

from __future__ import annotations

import re

from seqops.plan.safety import UnsafePlan

_REFUSED = re.compile(r"^refused(?: by the [\w-]+ rule)?: ")
_RERUN = re.compile(r";?\s*rerun with --[\w-]+[^;]*$")


def reason(violation: UnsafePlan) -> str:
    """The rule's finding without "refused by" and "rerun with": `2 change(s) reach ...`."""
    text = _RERUN.sub("", _REFUSED.sub("", str(violation)))
    return text.strip() or str(violation)


def because(violation: UnsafePlan) -> str:
    """`--force because ... (the too-many-updates rule)`."""
    rule = f" (the {violation.rule} rule)" if violation.rule else ""
    return f"{violation.flag} because {reason(violation)}{rule}"


def heading(violations: list[UnsafePlan]) -> str:
    """`apply will need --allow-disruption --force` (each flag once)."""
    return "apply will need " + " ".join(sorted({v.flag for v in violations}))
