"""The small account the kill suite applies, in three versions, and what each must look like."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .audit import Account

TEMPLATE = """\
apiVersion: seqops/v1
kind: Template
metadata: {{name: {name}}}
spec: {{subject: {subject}, bodyHtml: <p>{name}</p>}}
"""
SEQUENCE = """\
apiVersion: seqops/v1
kind: Sequence
metadata: {{name: {name}}}
spec:
  displayName: {display}
  description: {description}
  enabled: {enabled}
  steps:
{steps}
"""
EMAIL = "    - {{type: auto_email, wait: {wait}, template: {template}}}"
CALL = "    - {{type: call, wait: {wait}}}"

VERSIONS = {
    "base": {
        "subjects": {"intro": "Intro", "follow": "Follow up"},
        "demo": [EMAIL.format(wait=0, template="intro"), CALL.format(wait="1d"),
                 EMAIL.format(wait="2d", template="follow")],
        "nurture": [CALL.format(wait=0), EMAIL.format(wait="1d", template="intro")],
    },
    "edited": {
        "description": "Edited",
        "subjects": {"intro": "Intro again", "follow": "Follow up again"},
        "demo": [EMAIL.format(wait=0, template="intro"), CALL.format(wait="3d"),
                 EMAIL.format(wait="2d", template="follow")],
        "nurture": [CALL.format(wait=0), EMAIL.format(wait="1d", template="intro"),
                    EMAIL.format(wait="2d", template="follow")],
    },
    "replaced": {
        "subjects": {"intro": "Intro", "follow": "Follow up"},
        "demo": [EMAIL.format(wait=0, template="intro"), EMAIL.format(wait="2d", template="follow")],
        "nurture": [CALL.format(wait=0), EMAIL.format(wait="1d", template="intro")],
    },
}  # fmt: skip


@dataclass
class Expected:
    subjects: dict[str, str]
    sequences: dict[str, tuple[str, int, bool]]
    """key -> (live display name, steps, enabled)"""

    def problems(self, account: Account) -> list[str]:
        found = []
        for key, (name, steps, enabled) in self.sequences.items():
            rows = [r for r in account.sequences if f"seqops:{key}" in _tags(r)]
            if len(rows) != 1:
                found.append(f"{key}: {len(rows)} current versions")
                continue
            attrs = rows[0]["attributes"]
            have = (attrs["name"], account.steps_of(int(rows[0]["id"])), bool(attrs["enabled"]))
            if have != (name, steps, enabled):
                found.append(f"{key}: {have} instead of {(name, steps, enabled)}")
        return found + [f"retired {n} enabled" for n in account.retired_enabled()]


def write_manifests(folder: Path, version: str) -> Expected:
    spec = VERSIONS[version]
    folder.mkdir(parents=True)
    documents = [TEMPLATE.format(name=n, subject=s) for n, s in spec["subjects"].items()]
    for key, display, enabled in (("demo", "Demo", "true"), ("nurture", "Nurture", "false")):
        steps = "\n".join(spec[key])
        documents.append(
            SEQUENCE.format(
                name=key,
                display=display,
                description=spec.get("description", "Made by seqops"),
                enabled=enabled,
                steps=steps,
            )
        )
    (folder / "account.yaml").write_text("---\n".join(documents))
    demo_name = "Demo (v2)" if version == "replaced" else "Demo"
    return Expected(
        dict(spec["subjects"]),
        {
            "demo": (demo_name, len(spec["demo"]), True),
            "nurture": ("Nurture", len(spec["nurture"]), False),
        },
    )


def _tags(row: dict) -> list[str]:
    return row["attributes"].get("tags") or []
