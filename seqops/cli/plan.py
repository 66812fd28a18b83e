"""`seqops plan` (being built)."""

from seqops.cli.common import NoColor, Verbose, fail

NAME = "plan"


def command(verbose: Verbose = False, no_color: NoColor = False) -> None:
    """Not available yet."""
    raise fail("seqops plan is not implemented yet")
