"""A corpus of bad manifests, one mistake each: YAML syntax, JSON Schema, semantics.

In each text the line the error must be reported on ends with `  <-` (removed before the file
is written). Everything else in a case is valid, so the case fails for its one reason.
"""

from __future__ import annotations

from dataclasses import dataclass

MARK = "  <-"

TEMPLATE = """\
apiVersion: seqops/v1
kind: Template
metadata:
  name: intro
spec:
  subject: Quick intro
  bodyHtml: <p>Hello</p>
---
"""


@dataclass(frozen=True)
class Case:
    id: str
    layer: str
    marked: str

    @property
    def text(self) -> str:
        return "\n".join(line.removesuffix(MARK) for line in self.marked.split("\n"))

    @property
    def line(self) -> int:
        lines = self.marked.split("\n")
        return next(i for i, line in enumerate(lines, 1) if line.endswith(MARK))


def sequence(spec: str, *, name: str = "inbound", head: str = TEMPLATE) -> str:
    """A Sequence document (after a valid Template) with `spec` lines under `spec:`."""
    return f"{head}apiVersion: seqops/v1\nkind: Sequence\nmetadata:\n  name: {name}\nspec:\n{spec}"


EMAIL = "  steps:\n    - type: auto_email\n      wait: 1d\n      template: intro\n"

SYNTAX = [
    Case("tab-indent", "syntax", "apiVersion: seqops/v1\nkind: Template\nmetadata:\n\tname: x  <-\n"),
    Case("unclosed-quote", "syntax", 'apiVersion: seqops/v1\nkind: Template\nmetadata: {name: x}\nspec:\n  subject: "Hello  <-\n'),
    Case("unclosed-flow-mapping", "syntax", "apiVersion: seqops/v1\nkind: Template\nmetadata: {name: x  <-\nspec: {}\n"),
    Case("duplicate-key", "syntax", "apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: x\nspec:\n  subject: a\n  subject: b  <-\n"),
    Case("mapping-value-in-scalar", "syntax", "apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: x\nspec:\n  subject: a: b  <-\n"),
    Case("document-is-a-list", "syntax", "- apiVersion: seqops/v1  <-\n  kind: Template\n"),
    Case("document-is-text", "syntax", "just some words  <-\n"),
    Case("empty-file", "syntax", "# nothing here yet  <-\n"),
    Case("undefined-alias", "syntax", "apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: x\nspec:\n  subject: *nope  <-\n"),
    Case("stray-bracket", "syntax", "apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: x\nspec:\n  tags: [a, b]]  <-\n"),
    Case("bad-indent-sequence", "syntax", "apiVersion: seqops/v1\nkind: Sequence\nmetadata:\n  name: x\nspec:\n  steps:\n    - type: call\n   - type: task  <-\n"),
]  # fmt: skip

SCHEMA = [
    Case("missing-apiversion", "schema", "kind: Template  <-\nmetadata:\n  name: x\nspec: {}\n"),
    Case("wrong-apiversion", "schema", "apiVersion: seqops/v2  <-\nkind: Template\nmetadata:\n  name: x\n"),
    Case("unknown-kind", "schema", "apiVersion: seqops/v1\nkind: Sequense  <-\nmetadata:\n  name: x\n"),
    Case("missing-name", "schema", "apiVersion: seqops/v1\nkind: Template\nmetadata:  <-\n  labels: {team: sdr}\n"),
    Case("bad-name", "schema", "apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: Inbound_Demo  <-\n"),
    Case("unknown-top-level-key", "schema", "apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: x\nspecs:  <-\n  subject: hi\n"),
    Case("misspelt-spec-key", "schema", sequence("  stpes:  <-\n    - type: call\n      wait: 1d\n")),
    Case("misspelt-step-key", "schema", sequence("  steps:\n    - type: auto_email\n      wait: 1d\n      tempalte: intro  <-\n")),
    Case("bad-step-type", "schema", sequence("  steps:\n    - type: emial  <-\n      wait: 1d\n")),
    Case("bad-wait", "schema", sequence("  steps:\n    - type: call\n      wait: 2 days  <-\n")),
    Case("negative-wait", "schema", sequence("  steps:\n    - type: call\n      wait: -1  <-\n")),
    Case("bad-sequence-type", "schema", sequence("  sequenceType: weekly  <-\n")),
    Case("enabled-as-text", "schema", sequence('  enabled: "yes"  <-\n')),
    Case("steps-as-mapping", "schema", sequence("  steps:  <-\n    type: call\n")),
    Case("empty-display-name", "schema", sequence('  displayName: ""  <-\n')),
    Case("display-name-too-long", "schema", sequence(f"  displayName: {'x' * 300}  <-\n")),
    Case("negative-throttle", "schema", sequence("  throttleCapacity: -1  <-\n")),
    Case("label-not-text", "schema", "apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: x\n  labels:\n    tier: [1, 2]  <-\n"),
    Case("subject-as-list", "schema", "apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: x\nspec:\n  subject: [a, b]  <-\n"),
    Case("id-zero", "schema", "apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: x\n  id: 0  <-\n"),
    Case("bad-state", "schema", "apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: x\nstate: gone  <-\n"),
    Case("spec-as-list", "schema", "apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: x\nspec:  <-\n  - subject: hi\n"),
    Case("bad-date", "schema", sequence("  sequenceType: date\n  steps:\n    - type: call\n      date: 2024-13-45  <-\n")),
    Case("bad-share-type", "schema", sequence("  shareType: everyone  <-\n")),
    Case("track-opens-as-text", "schema", "apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: x\nspec:\n  trackOpens: maybe  <-\n"),
    Case("bad-reply-action", "schema", sequence("  primaryReplyAction: stop  <-\n")),
    Case("ruleset-unknown-key", "schema", "apiVersion: seqops/v1\nkind: Ruleset\nmetadata:\n  name: rules\nspec:\n  permitDuplicates: allow  <-\n"),
    Case("ruleset-bad-enum", "schema", "apiVersion: seqops/v1\nkind: Ruleset\nmetadata:\n  name: rules\nspec:\n  permitDuplicateProspects: sometimes  <-\n"),
    Case("step-not-a-mapping", "schema", sequence("  steps:\n    - call  <-\n")),
]  # fmt: skip

SEMANTIC = [
    Case("duplicate-name", "semantic", sequence(EMAIL) + "---\n" + sequence("  steps: []\n", head="").replace("name: inbound", "name: inbound  <-")),
    Case("unknown-template", "semantic", sequence("  steps:\n    - type: auto_email\n      wait: 1d\n      template: intor  <-\n")),
    Case("wait-in-date-sequence", "semantic", sequence("  sequenceType: date\n  steps:\n    - type: call\n      date: 2024-05-01\n      wait: 1d  <-\n")),
    Case("date-in-interval-sequence", "semantic", sequence("  steps:\n    - type: call\n      date: 2024-05-01  <-\n")),
    Case("email-without-template", "semantic", sequence("  steps:\n    - type: call\n      wait: 1d\n    - type: auto_email  <-\n      wait: 1d\n")),
    Case("call-with-template", "semantic", sequence("  steps:\n    - type: call\n      wait: 1d\n      template: intro  <-\n")),
    Case("reply-to-nothing", "semantic", sequence("  steps:\n    - type: auto_email\n      wait: 1d\n      template: intro\n      isReply: true  <-\n")),
    Case("reply-on-a-call", "semantic", sequence(EMAIL + "    - type: call\n      wait: 1d\n      isReply: true  <-\n")),
    Case("priority-on-email", "semantic", sequence("  steps:\n    - type: auto_email\n      wait: 1d\n      template: intro\n      priority: high  <-\n")),
    Case("pause-without-pause-action", "semantic", sequence("  primaryReplyAction: finish\n  primaryReplyPauseDuration: 2d  <-\n")),
    Case("max-activations-interval", "semantic", sequence("  maxActivations: 100  <-\n")),
    Case("unknown-ruleset", "semantic", sequence("  ruleset: default-rules  <-\n")),
    Case("retired-template", "semantic", sequence(EMAIL.replace("template: intro", "template: intro  <-"), head=TEMPLATE.replace("metadata:", "state: absent\nmetadata:"))),
    Case("dates-out-of-order", "semantic", sequence("  sequenceType: date\n  steps:\n    - type: call\n      date: 2024-05-02\n    - type: task\n      date: 2024-05-01  <-\n")),
    Case("date-step-without-date", "semantic", sequence("  sequenceType: date\n  steps:\n    - type: call\n      date: 2024-05-02\n    - type: task  <-\n      note: no date\n")),
]  # fmt: skip

CORPUS = [*SYNTAX, *SCHEMA, *SEMANTIC]
