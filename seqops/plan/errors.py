"""Errors that stop a plan: the message is one or more lines, safe to print as is."""


class PlanError(Exception):
    """The manifests and the live account cannot be reconciled without a guess."""


class IdentityError(PlanError):
    """Ambiguous or conflicting identity (two adoption candidates, a pinned id missing...)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class EmptyManifestSet(PlanError):
    """No manifests: planning would retire every owned object, which is never what was meant."""
