"""seqops: sequence-as-code for Outreach."""

__version__ = "0.1.0"
