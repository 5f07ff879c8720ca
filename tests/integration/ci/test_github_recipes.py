"""The GitHub Actions recipes, run step by step like a runner would, against a served sandbox:
a pull request gets the offline review and the plan, the merge applies, the drift check notices a
hand edit. A renamed flag or a changed output breaks this test, not a user's pipeline."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from runner import REPO, JobResult, load, run_github_script, run_job, runner_env

from catalogctl.sandbox import create_app, serve_in_thread

GITHUB = REPO / "examples" / "ci" / "github"
SECRETS = {"GROOVEKART_AUTH_TOKEN": "gk-sandbox", "GROOVEKART_API_KEY": "sandbox-api-key"}
GIT_ENV = {"GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.com", "GIT_COMMITTER_NAME": "Dev",
           "GIT_COMMITTER_EMAIL": "dev@example.com"}


def git(cwd: Path, *args: str) -> str:
    import os
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert result.returncode == 0, result.stderr
    return result.stdout


def _targets(url: str) -> str:
    return (f"targets:\n  production:\n    provider: sandbox\n    url: {url}\n    api_user: catalogctl\n"
            "    auth_token_env: GROOVEKART_AUTH_TOKEN\n    api_key_env: GROOVEKART_API_KEY\n")


def _repository(tmp_path: Path, url: str) -> Path:
    """A remote whose main holds the example catalog at the root and a production target."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "--quiet", str(remote), str(seed))
    shutil.copytree(REPO / "examples" / "tshirt-shop", seed, dirs_exist_ok=True)
    (seed / "catalogctl.yaml").write_text(_targets(url))
    git(seed, "add", "-A")
    git(seed, "commit", "--quiet", "-m", "catalog")
    git(seed, "push", "--quiet", "origin", "HEAD:main")
    return remote


def _checkout(remote: Path, dest: Path, ref: str = "main") -> Path:
    git(dest.parent, "clone", "--quiet", "--branch", ref, str(remote), str(dest))
    return dest


def _context(**github: Any) -> dict[str, Any]:
    return {"secrets": SECRETS, "github": {"repository": "acme/shop", **github}}


def _assert_ok(job: JobResult) -> None:
    for step in job.steps:
        assert step.returncode == 0, f"{step.name}: {step.stdout}\n{step.stderr}"


@pytest.mark.slow
def test_pull_request_merge_and_drift_run_green_against_the_sandbox(tmp_path: Path) -> None:
    env = runner_env(tmp_path)
    with serve_in_thread(create_app(tmp_path / "store.sqlite")) as url:
        remote = _repository(tmp_path, url)

        # The first merge: apply main to the empty store.
        applied = run_job(GITHUB / "catalogctl-apply.yml", "apply", _checkout(remote, tmp_path / "run1"),
                          _context(sha="main"), env)
        _assert_ok(applied)
        assert json.loads((tmp_path / "run1" / "report.json").read_text())["status"] == "ok"
        assert "Apply complete" in applied.summary
        assert applied.step("Upload the report").with_["path"].split() == ["report.json", "apply.log"]

        # A pull request from a branch of this repository: raise the hoodie's price by 5.00.
        pr = _checkout(remote, tmp_path / "pr")
        git(pr, "checkout", "--quiet", "-b", "raise-hoodie")
        hoodie = pr / "products" / "zip-hoodie.yaml"
        hoodie.write_text(hoodie.read_text().replace("base: 49.00", "base: 54.00"))
        git(pr, "commit", "--quiet", "-am", "Raise the hoodie")
        event = _context(base_ref="main", event={"pull_request": {"number": 7}})
        review = run_job(GITHUB / "catalogctl-plan.yml", "review", pr, event, env)
        _assert_ok(review)
        assert "8 variants changed" in review.summary and "price: `+5.00`" in review.summary
        plan = run_job(GITHUB / "catalogctl-plan.yml", "plan", pr, event, env)
        _assert_ok(plan)
        assert plan.step("Plan").outputs == {"exitcode": "2"}
        comment = (pr / "plan.md").read_text()
        assert comment.startswith("### catalogctl plan for `production`")
        assert "8 variants will be updated in place" in comment and "Saved the plan" not in comment, comment
        assert "gk-sandbox" not in comment + plan.summary   # secrets never show
        assert json.loads((pr / "plan.json").read_text())["target"] == "production"
        upload = plan.step("Upload the plan").with_
        assert upload["name"] == "catalogctl-plan-production" and upload["path"].split() == ["plan.json", "plan.html"]
        assert all((pr / name).is_file() for name in upload["path"].split())
        assert "<html" in (pr / "plan.html").read_text().lower()
        assert "#artifacts" in plan.step("Post or update the plan comment").with_["script"]
        assert "readFileSync('plan.md'" in plan.step("Post or update the plan comment").with_["script"]
        assert comment in plan.summary

        # Merge, apply, and the next drift check finds nothing.
        git(pr, "push", "--quiet", "origin", "HEAD:main")
        merged = run_job(GITHUB / "catalogctl-apply.yml", "apply", _checkout(remote, tmp_path / "run2"),
                         _context(sha="main"), env)
        _assert_ok(merged)
        drift = run_job(GITHUB / "catalogctl-drift.yml", "drift", _checkout(remote, tmp_path / "run3"),
                        _context(), env)
        _assert_ok(drift)
        assert drift.step("Plan (exit 2 means drift)").outputs == {"exitcode": "0"}

        # Someone changes the store by hand: the drift check says so (exit 2 -> the issue step).
        by_hand = tmp_path / "by-hand"
        shutil.copytree(tmp_path / "run3", by_hand, ignore=shutil.ignore_patterns(".git", ".catalogctl"))
        tote = by_hand / "products" / "tote-bag.yaml"
        tote.write_text(tote.read_text().replace("price: 18.50", "price: 15.00"))
        hand = subprocess.run([str(tmp_path / "bin" / "catalogctl"), "apply", str(by_hand), "--target",
                               "production", "--auto-approve"], env={**env, **SECRETS}, capture_output=True,
                              text=True)
        assert hand.returncode == 0, hand.stderr
        drifted = run_job(GITHUB / "catalogctl-drift.yml", "drift", _checkout(remote, tmp_path / "run4"),
                          _context(), env)
        _assert_ok(drifted)
        assert drifted.step("Plan (exit 2 means drift)").outputs == {"exitcode": "2"}
        assert 'product["AC-TOTE"]' in (tmp_path / "run4" / "drift.md").read_text()
        assert drifted.step("Open, update or close the drift issue").kind == "actions/github-script@v7"


@pytest.mark.slow
def test_a_failed_plan_replaces_the_sticky_comment_instead_of_leaving_the_last_plan(tmp_path: Path) -> None:
    env = runner_env(tmp_path)
    with serve_in_thread(create_app(tmp_path / "store.sqlite")) as url:
        pr = _checkout(_repository(tmp_path, url), tmp_path / "pr")
        event = _context(base_ref="main", event={"pull_request": {"number": 7}})
        planned = run_job(GITHUB / "catalogctl-plan.yml", "plan", pr, event, env)
        _assert_ok(planned)
        marker = "<!-- catalogctl-plan:production -->"
        comment = planned.step("Post or update the plan comment")
        [posted] = run_github_script(comment, pr, existing=[])
        assert posted["kind"] == "create" and posted["body"].startswith(f"{marker}\n### catalogctl plan for")
        assert "#artifacts" in posted["body"]

        wrong = "gk-wrong-token-0042"
        failed = run_job(GITHUB / "catalogctl-plan.yml", "plan", pr,
                         {**event, "secrets": {**SECRETS, "GROOVEKART_AUTH_TOKEN": wrong}}, env)
        assert not failed.ok and failed.step("Plan").returncode == 1
        assert failed.step("Plan").outputs == {"exitcode": "1"}
        assert [s.name for s in failed.steps][-1] == "Post or update the plan comment"   # skipped: HTML, upload
        assert "HTML plan" not in [s.name for s in failed.steps]
        mine = {"id": 99, "user": {"type": "Bot"}, "body": posted["body"]}
        [updated] = run_github_script(failed.step("Post or update the plan comment"), pr, existing=[mine])
        assert updated["kind"] == "update" and updated["comment_id"] == 99
        body = updated["body"]
        assert body.startswith(f"{marker}\n### catalogctl plan for `production` failed")
        assert "exited 1" in body and "Error" in body and "actions/runs/4242" in body
        assert "will be updated" not in body and "#artifacts" not in body   # nothing of the stale plan
        assert wrong not in body + failed.summary and not (pr / "plan.json").exists()


def test_the_comment_says_the_plan_failed_when_the_job_failed_before_it(tmp_path: Path) -> None:
    comment = load(GITHUB / "catalogctl-plan.yml")["jobs"]["plan"]["steps"][-1]
    assert comment["if"] == "${{ !cancelled() }}"
    from runner import StepResult

    step = StepResult("comment", comment["uses"], with_=comment["with"],
                      env={"MARKER": "<!-- m -->", "PLAN_OUTCOME": "skipped", "TARGET": "production"})
    [posted] = run_github_script(step, tmp_path, existing=[])
    assert posted["body"].startswith("<!-- m -->\n### catalogctl plan for `production` failed")
    assert "failed before the plan" in posted["body"]


def test_fork_pull_requests_get_the_review_but_not_the_plan() -> None:
    plan = load(GITHUB / "catalogctl-plan.yml")
    assert plan["jobs"]["plan"]["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    assert "if" not in plan["jobs"]["review"]
    assert "secrets." not in json.dumps(plan["jobs"]["review"])


def test_applies_queue_per_target_and_never_cancel() -> None:
    apply = load(GITHUB / "catalogctl-apply.yml")
    assert apply["concurrency"] == {"group": "catalogctl-apply-production", "cancel-in-progress": False}
    assert apply["on"]["push"]["branches"] == ["main"]
    assert apply["permissions"]["contents"] == "write"   # `state: git` pushes the state branch


def test_the_composite_action_runs_a_command_and_reports_its_exit_code(tmp_path: Path) -> None:
    from runner import _our_action

    catalog = tmp_path / "shop"
    shutil.copytree(REPO / "examples" / "tshirt-shop", catalog)
    summary = tmp_path / "summary.md"
    env = runner_env(tmp_path)
    result = _our_action("catalogctl", {"command": "plan", "directory": str(catalog), "args": "--detailed-exitcode"},
                         tmp_path, env, summary)
    assert result.returncode == 0 and result.outputs == {"exitcode": "2"}   # 2 (changes) is not a failure
    failed = _our_action("catalogctl", {"command": "plan", "directory": str(catalog), "target": "nope"},
                         tmp_path, env, summary)
    assert failed.returncode == 1 and "no target 'nope'" in failed.stderr
    action = load(REPO / "action.yml")
    install = next(s for s in action["runs"]["steps"] if s.get("id") == "install")
    assert '"$GITHUB_ACTION_PATH"' in install["run"] and "requirements/constraints.txt" in install["run"]
    assert (REPO / "requirements" / "constraints.txt").is_file()
