"""`seqops plan` against a closed port ends with one line naming the host (no traceback)."""

from __future__ import annotations

from pathlib import Path

from .cli import run
from .test_breaker import closed_port

MANIFEST = """\
apiVersion: seqops/v1
kind: Template
metadata: {name: intro}
spec: {subject: Hi, bodyHtml: <p>Hi</p>}
"""


def test_plan_against_a_closed_port_names_the_host(tmp_path: Path):
    (tmp_path / "t.yaml").write_text(MANIFEST)
    port = closed_port()
    target = f"http://127.0.0.1:{port}/api/v2"
    done = run(["plan", ".", "--target", target], tmp_path, timeout=40, SEQOPS_TOKEN="tok")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    retries = [line for line in done.stderr.splitlines() if line.startswith("retry ")]
    assert retries and retries[0].startswith("retry 1/7 in ")
    assert f"ConnectError to 127.0.0.1:{port}" in retries[0]
    last = done.stderr.strip().splitlines()[-1]
    assert f"127.0.0.1:{port} is unreachable" in last
