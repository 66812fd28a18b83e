"""What a partial lint did not load: `seqops lint templates/` sees templates but not the
sequences beside them, so it must not call a template unused that those sequences send.

The repository the loaded files belong to (the nearest folder above them holding `.git` or
`seqops.yaml`) is searched, only when a template looks unused, for other manifest files that
name it as a step's template."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from seqops.manifest.files import SourceError, discover, read_text
from seqops.manifest.loader import LoadResult

MARKERS = (".git", "seqops.yaml", "seqops.yml")


class Elsewhere:
    """`elsewhere(name)`: whether a manifest file outside the load names template `name`."""

    def __init__(self, result: LoadResult) -> None:
        self.result = result

    @cached_property
    def loaded(self) -> set[Path]:
        """The files the load read, resolved (only once a template looks unused)."""
        files = {file for file, _ in self.result._origins.values()} | set(self.result.skipped)
        return {Path(file).resolve() for file in files}

    def __call__(self, name: str) -> bool:
        word = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
        pattern = re.compile(rf"\btemplates?\s*:[^\n]*{word}|^\s*-\s*{word}\s*$", re.MULTILINE)
        return any(pattern.search(text) for text in self.texts)

    @cached_property
    def texts(self) -> list[str]:
        """The text of each YAML file of the repository that was not loaded and holds a
        sequence."""
        root = repository(self.loaded)
        if root is None:
            return []
        sources, _ = discover([root])
        texts = []
        for source in sources:
            if source.path.resolve() in self.loaded:
                continue
            try:
                text = read_text(source.path)
            except SourceError:
                continue
            if "Sequence" in text:
                texts.append(text)
        return texts


def repository(files: set[Path]) -> Path | None:
    """The nearest folder above the first of `files` that holds `.git` or `seqops.yaml`."""
    first = min(files, default=None)
    if first is None:
        return None
    for folder in first.parents:
        if any((folder / marker).exists() for marker in MARKERS):
            return folder
    return None
