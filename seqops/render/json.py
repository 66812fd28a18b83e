"""The JSON plan (DESIGN §3), also the format of `--out PLANFILE`."""

from __future__ import annotations

import json

from seqops.plan.plan import Plan
from seqops.plan.safety import UnsafePlan


class JsonRenderer:
    markup = False

    def __init__(self, safety: list[UnsafePlan] | None = None):
        self.safety = safety or []  # not part of the document: the checksum covers the plan

    def render(self, plan: Plan) -> str:
        return json.dumps(plan.to_json(), indent=2, ensure_ascii=False)
