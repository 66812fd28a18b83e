"""`seqops validate` (being built)."""

from seqops.cli.common import NoColor, Verbose, fail

NAME = "validate"


def command(verbose: Verbose = False, no_color: NoColor = False) -> None:
    """Not available yet."""
    raise fail("seqops validate is not implemented yet")
