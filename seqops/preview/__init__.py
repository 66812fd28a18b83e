"""Preview: a template's subject and body filled with real prospect data from a target, and
how many prospects of a sample would get an empty value for each merge field."""

from seqops.preview.fill import Person, Rendered, empty_counts, render
from seqops.preview.people import PreviewError, fetch_people

__all__ = ["Person", "PreviewError", "Rendered", "empty_counts", "fetch_people", "render"]
