"""The layers of issue 29 in the rooms of the provider and the sandbox: `providers/` never
imports the emulator (the embedded sandbox is wired where targets are resolved), and no module
of `providers/` or `sandbox/` takes part in an import circle (TYPE_CHECKING imports count: a
circle in the types is a circle in the design)."""

from __future__ import annotations

import ast
from pathlib import Path

import seqops

ROOT = Path(seqops.__file__).parent


def imports_of(path: Path) -> set[str]:
    """The seqops modules a file imports (under TYPE_CHECKING too): `from a.b import c` is
    a.b.c when that is a module, else a.b (as import-linter reads it)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if is_module(sub) else node.module)
    return {m for m in found if m.startswith("seqops.")}


def is_module(name: str) -> bool:
    path = ROOT.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def module_of(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def graph(*rooms: str) -> dict[str, set[str]]:
    files = [p for room in rooms for p in (ROOT / room).rglob("*.py")]
    modules = {module_of(p): p for p in files}
    return {name: imports_of(path) & set(modules) - {name} for name, path in modules.items()}


def test_providers_never_import_the_sandbox():
    for path in (ROOT / "providers").rglob("*.py"):
        upward = {m for m in imports_of(path) if m.startswith("seqops.sandbox")}
        assert not upward, (path.name, upward)


def test_no_import_circles_in_providers_or_sandbox():
    edges = graph("providers", "sandbox")
    for start in edges:
        seen, stack = set(), [start]
        while stack:
            for nxt in edges[stack.pop()]:
                assert nxt != start, f"{start} imports itself through {sorted(seen)}"
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
