"""README "Run catalogctl in pull requests": every command of the walkthrough, in order, from an
empty directory to a merged and applied pull request, against a sandbox store and a bare git remote
(the workflows of step 2 run step by step at the pull request). What the test changes, and only
that: the remote's URL (a bare repository in tmp), the target's provider and url (the sandbox
served on 127.0.0.1) and the secrets (the sandbox's, in the environment as a runner's would be)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from runner import REPO, run_job, runner_env

from catalogctl.sandbox import create_app, serve_in_thread

SECRETS = {"GROOVEKART_AUTH_TOKEN": "gk-sandbox", "GROOVEKART_API_KEY": "sandbox-api-key"}
IDENTITY = {"GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.com", "GIT_COMMITTER_NAME": "Dev",
            "GIT_COMMITTER_EMAIL": "dev@example.com"}


def walkthrough_blocks() -> list[str]:
    """The shell blocks marked `<!-- walkthrough -->` in the README's pull-request section, in order."""
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("<!-- section:pull-requests -->"):readme.index("<!-- /section:pull-requests -->")]
    return re.findall(r"<!-- walkthrough -->\n```sh\n(.*?)```", section, re.S)


def _run_block(block: str, cwd: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], Path]:
    where = cwd / ".." / "cwd-after"
    script = f"set -euo pipefail\n{block}\npwd > {where}\n"
    result = subprocess.run(["bash", "--noprofile", "--norc", "-c", script], cwd=cwd, env=env, capture_output=True,
                            text=True, stdin=subprocess.DEVNULL, timeout=600)
    after = Path(where.read_text().strip()) if result.returncode == 0 else cwd
    return result, after


def test_the_walkthrough_has_the_steps_it_promises() -> None:
    blocks = walkthrough_blocks()
    assert len(blocks) == 5
    commands = "\n".join(blocks)
    for needed in ("catalogctl validate", "catalogctl fmt --check", "cp ../catalogctl/examples/ci/github/*.yml",
                   "catalogctl apply --auto-approve", "catalogctl diff main", "catalogctl state show production",
                   "catalogctl plan --detailed-exitcode", "git push"):
        assert needed in commands, needed


@pytest.mark.slow
def test_every_command_of_the_walkthrough_runs_green(tmp_path: Path) -> None:
    (tmp_path / "catalogctl").symlink_to(REPO)
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(remote)], check=True)
    env = {**runner_env(tmp_path), **SECRETS, **IDENTITY}
    env.pop("GITHUB_ACTIONS")
    with serve_in_thread(create_app(tmp_path / "store.sqlite")) as url:
        blocks = [b.replace("git@github.com:acme/shop.git", str(remote))
                  .replace("provider: groovekart", "provider: sandbox")
                  .replace("url: https://teescape.example.com", f"url: {url}")
                  .replace("api_user: teescape", "api_user: catalogctl") for b in walkthrough_blocks()]
        cwd = tmp_path
        outputs = []
        for number, block in enumerate(blocks, start=1):
            result, cwd = _run_block(block, cwd, env)
            assert result.returncode == 0, f"block {number}:\n{block}\n{result.stdout}\n{result.stderr}"
            outputs.append(result.stdout + result.stderr)
            if number == 4:   # the pull request is pushed: the plan workflow runs on it
                event = {"secrets": SECRETS, "github": {"repository": "acme/shop", "base_ref": "main"}}
                workflow = cwd / ".github" / "workflows" / "catalogctl-plan.yml"
                review = run_job(workflow, "review", cwd, event, env)
                assert all(s.returncode == 0 for s in review.steps), [(s.name, s.stderr) for s in review.steps]
                plan = run_job(workflow, "plan", cwd, event, env)
                assert all(s.returncode == 0 for s in plan.steps), [(s.name, s.stderr) for s in plan.steps]
                assert "8 variants will be updated in place" in plan.summary
        shop = tmp_path / "shop"
        assert re.search(r"\d+ categories, \d+ products, \d+ variants", outputs[0])   # validate's summary
        assert "production.json on branch 'catalogctl-state' of the git remote 'origin'" in outputs[2]
        assert "Lock:   free" in outputs[2]
        assert "8 variants changed" in outputs[3] and "price: +5.00" in outputs[3]
        comment = (shop / "plan.md").read_text()
        assert "8 variants will be updated in place" in comment and "reproduce with `catalogctl plan" in comment
        assert "Apply complete: 8 updated;" in outputs[4]
        branches = subprocess.run(["git", "--git-dir", str(remote), "branch", "--list"], capture_output=True,
                                  text=True).stdout
        assert "catalogctl-state" in branches and "raise-hoodie" in branches
        assert os.environ.get("GROOVEKART_AUTH_TOKEN") is None   # the test's secrets stayed in its children
