"""`seqops export` (being built)."""

from seqops.cli.common import NoColor, Verbose, fail

NAME = "export"


def command(verbose: Verbose = False, no_color: NoColor = False) -> None:
    """Not available yet."""
    raise fail("seqops export is not implemented yet")
