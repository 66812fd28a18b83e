"""Export into a directory that already holds manifests: refuse, or update them in place.

Every exported object that a manifest of the directory already describes (`existing`) is
written into that manifest's document, only the fields that differ (`update`), in its own file;
the others go to new files. Nothing is ever defined twice. Without `update=True` a directory
whose manifests differ from the account is refused before a byte is written, naming them; a
directory that already says what the account says is left byte for byte as it is.
"""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

from ruamel.yaml import YAML

from seqops.export.existing import Directory, Existing, ManifestFile
from seqops.export.exporter import ExportResult
from seqops.export.update import update_node
from seqops.export.writer import OverwriteError, WriteReport, _write_atomically, write_export
from seqops.manifest.dump import WIDTH

UPDATE_FLAG = "--update"
_EXPLICIT_START = re.compile(r"\A(?:\s*#.*\n|\s*\n)*---")
_DASH = re.compile(r"^(?P<lead> *)(?P<dash>- +)")
_COMMENT = re.compile(r"^\s*(#|---|\.\.\.)")


def write_into(
    result: ExportResult,
    directory: Directory,
    out_dir: Path,
    *,
    update: bool,
    find_stale: bool = True,
) -> tuple[WriteReport, list[str]]:
    """Write the export into `out_dir` (report, warnings). A directory without manifests is
    written as a fresh export."""
    if not directory.found:
        return write_export(result, out_dir, find_stale=find_stale), []
    report = WriteReport()
    new_files = _new_files(result, directory, out_dir)
    changed = _update_documents(result, directory)
    texts = {e.file.relative: _render(e.file) for e in changed}
    report.updated = sorted(r for r, text in texts.items() if text != _file(directory, r).text)
    report.unchanged = sorted({e.file.relative for e in directory.matched.values()})
    report.unchanged = [r for r in report.unchanged if r not in report.updated]
    report.created = sorted(new_files)
    if report.updated and not update:
        raise OverwriteError(_refusal(changed, out_dir))
    for relative in report.updated:
        _write_atomically(out_dir / relative, texts[relative])
    for relative, text in new_files.items():
        _write_atomically(out_dir / relative, text)
    return report, _not_in_account(directory) if find_stale else []


def _new_files(result: ExportResult, directory: Directory, out_dir: Path) -> dict[str, str]:
    """Files of the objects no manifest describes yet, each at a free path."""
    files: dict[str, str] = {}
    for relative, (obj, _) in result.documents.items():
        if (obj.kind, obj.id) in directory.matched:
            continue
        path = relative
        if (out_dir / path).exists():
            path = relative.removesuffix(".yaml") + f"-{obj.id}.yaml"
        if (out_dir / path).exists():
            raise OverwriteError(
                f"{out_dir / path} already exists and describes another object: move it away "
                "or export into another directory with --out"
            )
        files[path] = result.files[relative]
    return files


def _update_documents(result: ExportResult, directory: Directory) -> list[Existing]:
    """The documents an update changed (their nodes now say what the account says)."""
    changed = []
    for obj, data in result.documents.values():
        existing = directory.matched.get((obj.kind, obj.id))
        if existing is not None and update_node(existing, data):
            changed.append(existing)
    return changed


def _render(file: ManifestFile) -> str:
    """The file's documents dumped with the indentation the file itself uses."""
    mapping, sequence, offset = _indentation(file.text)
    yaml = YAML(typ="rt", pure=True)
    yaml.width = WIDTH
    yaml.allow_unicode = True
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    yaml.explicit_start = _EXPLICIT_START.match(file.text) is not None
    stream = io.StringIO()
    yaml.dump_all(file.documents, stream)
    return stream.getvalue()


def _indentation(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as ruamel's `indent()` takes them, read
    from the first nested mapping and the first block sequence of the text (the project's own
    style where the text shows none)."""
    mapping = sequence = offset = None
    lines = [line for line in text.splitlines() if line.strip() and not _COMMENT.match(line)]
    for parent, child in itertools.pairwise(lines):
        if not parent.rstrip().endswith(":"):
            continue
        column = _column(parent)
        dash = _DASH.match(child)
        if dash and sequence is None:
            offset = len(dash["lead"]) - column
            sequence = len(dash["lead"]) + len(dash["dash"]) - column
        elif not dash and mapping is None and _column(child) > column:
            mapping = _column(child) - column
    return mapping or 2, sequence or 4, offset if offset is not None else 2


def _column(line: str) -> int:
    """Where the key of a line starts (past any `- ` of a sequence entry)."""
    dash = _DASH.match(line)
    return len(dash["lead"]) + len(dash["dash"]) if dash else len(line) - len(line.lstrip(" "))


def _file(directory: Directory, relative: str) -> ManifestFile:
    return next(f for f in directory.files if f.relative == relative)


def _refusal(changed: list[Existing], out_dir: Path) -> str:
    described = sorted(e.where for e in changed)
    shown = ", ".join(described[:5]) + (
        f" and {len(described) - 5} more" if len(described) > 5 else ""
    )
    return (
        f"{out_dir} already holds manifests that differ from the account: {shown}; "
        f"re-run with {UPDATE_FLAG} to rewrite only the fields that differ (comments, labels "
        "and layout kept), or export into an empty directory"
    )


def _not_in_account(directory: Directory) -> list[str]:
    return [
        f"{e.where} describes nothing in the account: left in place (plan will create it; "
        "delete it or mark it `state: absent` if it is gone for good)"
        for e in directory.unmatched()
    ]
