"""`seqops status` (being built)."""

from seqops.cli.common import NoColor, Verbose, fail

NAME = "status"


def command(verbose: Verbose = False, no_color: NoColor = False) -> None:
    """Not available yet."""
    raise fail("seqops status is not implemented yet")
