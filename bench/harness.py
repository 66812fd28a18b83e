"""What the benchmarks share: generated accounts and the manifests that describe them, a
sandbox served by `seqops sandbox serve` in a subprocess, measured child processes, an
instrumented HTTP transport, and a small table printer.

The generated manifests mirror `seqops.sandbox.generate` exactly, so planning them against a
generated account is a zero-change plan: the cost measured is the cost of reading and diffing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import re
import resource
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
SEQOPS = BIN / "seqops"
CHECK_JSONSCHEMA = BIN / "check-jsonschema"
ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
TOKEN = "bench-token"
STEP_CYCLE = ("auto_email", "call", "task")
"""As `seqops.sandbox.generate` cycles step types (plan_requests.py asserts zero changes)."""
PAGE_SIZE = 1000
"""The largest `page[size]` the API allows: what a minimum number of list pages assumes."""


# --- generated manifests ----------------------------------------------------------------------

PLAIN = re.compile(r"[a-z][a-z0-9_/-]*[a-z0-9]")
"""Strings written unquoted (none of them a YAML boolean or number)."""


def template_name(sequence: str, order: int) -> str:
    return f"{sequence}-s{order}"


def template_document(name: str) -> dict:
    spec = {"subject": f"About {name}", "bodyHtml": f"<p>Hello from {name}.</p>"}
    return _document("Template", name, spec)


def step_document(i: int, order: int, sequence: str) -> dict:
    step_type = STEP_CYCLE[(order - 1) % len(STEP_CYCLE)]
    step = {"type": step_type, "wait": f"{(i + order) % 3 + 1}d"}  # generate: interval in days
    if step_type == "auto_email":
        step["template"] = template_name(sequence, order)
    return step


def sequence_documents(i: int, steps: int, prefix: str = "gen") -> list[dict]:
    """Sequence `i` of a generated account, preceded by the templates its email steps send."""
    name = f"{prefix}-{i:04d}"
    step_list = [step_document(i, order, name) for order in range(1, steps + 1)]
    templates = [template_document(s["template"]) for s in step_list if "template" in s]
    return [*templates, _document("Sequence", name, {"steps": step_list})]


def _document(kind: str, name: str, spec: dict) -> dict:
    return {"apiVersion": "seqops/v1", "kind": kind, "metadata": {"name": name}, "spec": spec}


def write_manifests(
    directory: Path, n_sequences: int, steps: int = 8, *, one_per_file: bool = False
) -> int:
    """Write the manifests of a generated account; one file per sequence (with its templates,
    multi-document) or one file per document. Returns the number of documents written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    for i in range(n_sequences):
        documents = sequence_documents(i, steps)
        if one_per_file:
            for doc in documents:
                _write_yaml(
                    directory / f"{doc['kind'].lower()}-{doc['metadata']['name']}.yaml", [doc]
                )
        else:
            _write_yaml(directory / f"gen-{i:04d}.yaml", documents)
        written += len(documents)
    return written


def _write_yaml(path: Path, documents: list[dict]) -> None:
    """Block-style YAML as people write it (JSON is YAML too, but nobody writes manifests so)."""
    path.write_text("---\n".join(_yaml(doc) for doc in documents))


def _yaml(value: object, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:\n{_yaml(item, indent + 2)}")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}\n")
        return "".join(lines)
    lines = []
    for item in value:  # type: ignore[union-attr]
        body = _yaml(item, indent + 2)
        lines.append(f"{pad}- {body[indent + 2 :]}")
    return "".join(lines)


def _scalar(value: object) -> str:
    if isinstance(value, str) and PLAIN.fullmatch(value):
        return value
    return json.dumps(value)


# --- generated accounts -----------------------------------------------------------------------


def generate_account_db(db: Path, n_sequences: int, steps: int = 8) -> None:
    """A sandbox database holding `n_sequences` generated sequences, ready to serve."""
    from seqops.sandbox.sandbox import Sandbox

    sandbox = Sandbox(str(db), TOKEN)
    try:
        if n_sequences:
            sandbox.generate_account(n_sequences, steps)
    finally:
        sandbox.close()


# --- a served sandbox -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served_sandbox(db: Path | None = None, *options: str) -> Iterator[str]:
    """`seqops sandbox serve` on a free 127.0.0.1 port; yields the API base URL.

    `options` are extra flags, e.g. `"--latency-ms", "50"`.
    """
    port = free_port()
    command = [str(SEQOPS), "sandbox", "serve", "--port", str(port), "--token", TOKEN]
    command += ["--db", str(db)] if db is not None else []
    process = subprocess.Popen(
        [*command, *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_until_listening(f"http://127.0.0.1:{port}", process)
        yield f"http://127.0.0.1:{port}/api/v2"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_listening(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the sandbox exited: {process.stderr.read()}")  # type: ignore[union-attr]
        with contextlib.suppress(httpx.TransportError):
            httpx.post(f"{url}/oauth/token", timeout=0.5)
            return
        time.sleep(0.05)
    raise RuntimeError("the sandbox did not start listening")


def auth_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}", "Accept": "application/vnd.api+json"}


def collection_counts(base_url: str, collections: tuple[str, ...]) -> dict[str, int]:
    """`meta.count` of each collection (these requests are not part of any measurement)."""
    with httpx.Client(base_url=base_url + "/", headers=auth_headers()) as http:
        return {
            c: int(http.get(c, params={"page[size]": 1}).json()["meta"]["count"])
            for c in collections
        }


def minimum_pages(counts: dict[str, int]) -> int:
    """Fewest list requests that can read the collections: one page even when empty."""
    return sum(max(1, -(-n // PAGE_SIZE)) for n in counts.values())


# --- an instrumented transport (the client's real requests, observed) -------------------------


@dataclass
class Wire:
    """What went over the wire: requests per method, statuses, peak requests in flight."""

    methods: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    listings: int = 0
    """GETs of a collection (a list page), as opposed to one object's GET."""
    in_flight: int = 0
    peak: int = 0

    @property
    def requests(self) -> int:
        return sum(self.methods.values())

    @property
    def writes(self) -> int:
        return sum(n for m, n in self.methods.items() if m != "GET")


class ObservedTransport(httpx.AsyncBaseTransport):
    """Wraps the real transport; a request is in flight until its body has been read."""

    def __init__(self, wire: Wire) -> None:
        self.wire = wire
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        wire = self.wire
        wire.methods[request.method] += 1
        last = request.url.path.rstrip("/").rsplit("/", 1)[-1]
        wire.listings += request.method == "GET" and not last.isdigit()
        wire.in_flight += 1
        wire.peak = max(wire.peak, wire.in_flight)
        try:
            response = await self.inner.handle_async_request(request)
            await response.aread()
        finally:
            wire.in_flight -= 1
        wire.statuses[response.status_code] += 1
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def observed_provider(base_url: str, wire: Wire, concurrency: int = 8):
    """The provider a URL target builds (`seqops.providers.factory`), over an observed wire."""
    from seqops.config import Secret
    from seqops.providers.outreach import JsonApiClient, OutreachProvider, StaticToken

    client = JsonApiClient(
        base_url,
        StaticToken(Secret(TOKEN)),
        transport=ObservedTransport(wire),
        concurrency=concurrency,
    )
    return OutreachProvider(client, f"bench {base_url}")


def run_async(coroutine):
    return asyncio.run(coroutine)


# --- measured child processes -----------------------------------------------------------------


@dataclass
class Measured:
    seconds: float
    max_rss_mb: float
    exit_code: int
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0
    """User + system CPU of the command and of the worker processes it waited for: steadier
    than wall time on a shared machine, where other load stretches wall time but not this."""


def run_measured(command: list[str], env: dict[str, str] | None = None) -> Measured:
    """Run `command`; wall time, CPU time and the peak RSS of that child (`os.wait4`)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        text=True,
    )
    stdout, stderr = _drain(process)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(seconds, _rss_mb(usage), process.returncode, stdout, stderr, cpu)


def _drain(process: subprocess.Popen) -> tuple[str, str]:
    """Read both pipes to the end without reaping the child (wait4 must do that)."""
    import threading

    chunks: dict[str, str] = {}

    def read(name: str, stream) -> None:
        chunks[name] = stream.read()

    readers = [
        threading.Thread(target=read, args=(name, stream))
        for name, stream in (("out", process.stdout), ("err", process.stderr))
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    return chunks["out"], chunks["err"]


def _rss_mb(usage: resource.struct_rusage) -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return usage.ru_maxrss / scale


# --- output -----------------------------------------------------------------------------------


def print_table(headers: list[str], rows: list[list[object]]) -> None:
    """A Markdown table (readable in a terminal, pasteable into bench/README.md)."""
    cells = [[_cell(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for first, *rest in cells:
        aligned = [
            first.ljust(widths[0]),
            *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)),
        ]
        print("| " + " | ".join(aligned) + " |")


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if value < 100 else f"{value:.0f}"
    return str(value)


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{memory:.0f} GiB RAM, Python {platform.python_version()}"
    )
