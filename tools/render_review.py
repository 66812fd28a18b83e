"""Render a realistic plan the way reviewers see it, to PNG, for the docs.

    .venv/bin/python tools/render_review.py [OUT_DIR]      (default: docs/images)

It applies `examples/` to a fresh embedded sandbox in a temporary folder, enrols prospects,
records what the steps and templates achieved (as `sandbox advance` would), edits the manifests
the way a pull request does (a word in a template, a step removed, a wait shortened, a sequence
renamed with characters that need escaping), and writes what seqops prints:

- `review-comment.png`: the Markdown PR comment, rendered by cmark-gfm (GitHub's renderer) and
  shown in headless Chromium with a plain GitHub-like style (GitHub draws Mermaid charts in the
  browser; here they stay as their source);
- `review-report.png`: the HTML review (`plan --format html`) as Chromium shows it.

The pictures are the program's real output. Without Chromium (Debian's `chromium` package) or
cmarkgfm (`pip install cmarkgfm`) it says so and exits 0, writing nothing.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEQOPS = [str(Path(sys.executable).with_name("seqops"))]
EMAIL = ("email", "auto_email", "manual_email")
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
COMMENT_STYLE = """
body{font:14px/1.5 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2328;
max-width:880px;margin:24px auto;padding:16px 24px;border:1px solid #d1d9e0;border-radius:6px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d1d9e0;padding:4px 10px}
th{background:#f6f8fa}code,pre{font:12px ui-monospace,Menlo,Consolas,monospace}
pre{background:#f6f8fa;padding:10px;overflow:auto}blockquote{color:#59636e;margin:0;
padding:0 12px;border-left:4px solid #d1d9e0}del{background:#ffebe9}ins{background:#dafbe1;
text-decoration:none}details{margin:10px 0}summary{cursor:pointer}sub{color:#59636e}
"""


def main(out: Path) -> int:
    chromium = next((found for name in CHROMIUM if (found := shutil.which(name))), None)
    try:
        import cmarkgfm  # noqa: F401
    except ImportError:
        print("skipped: cmarkgfm is not installed (pip install cmarkgfm)")
        return 0
    if chromium is None:
        print("skipped: no Chromium on PATH (Debian: apt-get install chromium)")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        markdown, page = plans(Path(work))
        comment = Path(work) / "comment.html"
        comment.write_text(github_page(markdown))
        report = Path(work) / "report.html"
        report.write_text(page)
        shoot(chromium, comment, out / "review-comment.png", Path(work))
        shoot(chromium, report, out / "review-report.png", Path(work))
    print(f"wrote {out / 'review-comment.png'} and {out / 'review-report.png'}")
    return 0


def run(work: Path, *args: str) -> str:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("SEQOPS_TOKEN", None)
    done = subprocess.run([*SEQOPS, *args], cwd=work, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 2):
        raise SystemExit(f"seqops {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def plans(work: Path) -> tuple[str, str]:
    """The Markdown and HTML of a realistic multi-change plan against a fresh sandbox."""
    shutil.copytree(ROOT / "examples", work / "examples")
    (work / ".git").mkdir()  # the repository root: .seqops/ is made here
    run(work, "apply", "examples", "--yes")
    run(work, "sandbox", "enroll", "inbound-demo-request", "--prospects", "12")
    record_results(work / ".seqops" / "sandbox.db")
    edit(work / "examples")
    return run(work, "plan", "examples", "--format", "markdown"), run(
        work, "plan", "examples", "--format", "html"
    )


def record_results(db: Path) -> None:
    """What weeks of sending would have counted on the steps and templates."""
    from seqops.sandbox.resources import SEQUENCE_STEP, TEMPLATE
    from seqops.sandbox.store import Store

    store = Store(str(db))
    try:
        for rtype, factor in ((SEQUENCE_STEP, 1), (TEMPLATE, 2)):
            for row in store.query(rtype):
                sent = (1240 - 170 * row.id) * factor
                if sent > 0 and row.attributes.get("stepType", "email") in EMAIL:
                    row.attributes |= {
                        "deliverCount": sent,
                        "openCount": sent * 2 // 5,
                        "clickCount": sent // 25,
                        "replyCount": sent * 31 // 1000,
                    }
                    store.update(row)
    finally:
        store.close()


def edit(examples: Path) -> None:
    """What a pull request changes."""
    bump = examples / "templates" / "follow-up-bump.yaml"
    bump.write_text(bump.read_text().replace("20-minute call", "15-minute call"))
    inbound = examples / "sequences" / "inbound-demo-request.yaml"
    text = inbound.read_text()
    start = text.index("    - type: task")
    end = text.index("    - type: call", start)
    inbound.write_text(text[:start] + text[end:])
    outbound = examples / "sequences" / "outbound-enterprise.yaml"
    outbound.write_text(
        outbound.read_text()
        .replace(
            "displayName: Outbound - enterprise VP Sales",
            'displayName: "Outbound - VP Sales | Q3_EMEA *pilot* [draft]"',
        )
        .replace(
            "wait: 3d\n      template: follow-up-bump", "wait: 2d\n      template: follow-up-bump"
        )
    )


def github_page(markdown: str) -> str:
    import cmarkgfm
    from cmarkgfm.cmark import Options

    body = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    body = body.replace("<details>", "<details open>")  # show what a reviewer unfolds
    title = html.escape("seqops plan: PR comment")
    return f"<!doctype html><meta charset=utf-8><title>{title}</title><style>{COMMENT_STYLE}</style>{body}"


def shoot(chromium: str, page: Path, png: Path, work: Path) -> None:
    profile = tempfile.mkdtemp(dir=work)
    subprocess.run(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--window-size=1200,3400",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images"))
