"""Export: an existing account as manifests, ready for `seqops plan` to adopt.

`export(state) -> ExportResult` turns a provider's `LiveState` into files (pure, no I/O);
`write_export(result, out_dir)` writes them without touching files seqops did not write.
"""

from seqops.export.exporter import ExportResult, export
from seqops.export.selection import SelectionError
from seqops.export.writer import OverwriteError, WriteReport, write_export

__all__ = [
    "ExportResult",
    "OverwriteError",
    "SelectionError",
    "WriteReport",
    "export",
    "write_export",
]
