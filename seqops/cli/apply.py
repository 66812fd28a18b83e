"""`seqops apply` (being built)."""

from seqops.cli.common import NoColor, Verbose, fail

NAME = "apply"


def command(verbose: Verbose = False, no_color: NoColor = False) -> None:
    """Not available yet."""
    raise fail("seqops apply is not implemented yet")
