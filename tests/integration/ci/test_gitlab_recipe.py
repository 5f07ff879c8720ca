"""The GitLab CI recipe's job scripts, run in order like a runner would (its install step aside:
the checkout's catalogctl is on PATH), against a served sandbox and a stand-in GitLab API."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from fake_gitlab import fake_gitlab
from runner import REPO, runner_env
from test_github_recipes import SECRETS, _checkout, _repository, git

from catalogctl.sandbox import create_app, serve_in_thread

GITLAB = REPO / "examples" / "ci" / "gitlab"


def _job(name: str, workspace: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The job's `script:` lines in one shell, as GitLab runs them (stop at the first failure)."""
    document: dict[str, Any] = yaml.safe_load((GITLAB / ".gitlab-ci.yml").read_text())
    variables = {k: str(v) for k, v in document["variables"].items()}
    script = "\n".join(document[name]["script"])
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=workspace,
                          env={**env, **variables, **SECRETS}, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=300)


def _with_ci_scripts(checkout: Path) -> Path:
    shutil.copytree(GITLAB / "ci", checkout / "ci")
    return checkout


@pytest.mark.slow
def test_merge_request_note_apply_and_drift_issue(tmp_path: Path) -> None:
    with serve_in_thread(create_app(tmp_path / "store.sqlite")) as url, fake_gitlab() as (api, gitlab):
        remote = _repository(tmp_path, url)
        env = runner_env(tmp_path, CI_API_V4_URL=api, CI_PROJECT_ID="42", GITLAB_TOKEN=gitlab.token,
                         CI_MERGE_REQUEST_IID="3", CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
                         CI_JOB_URL="https://gitlab.example.com/acme/shop/-/jobs/9")
        applied = _job("apply", _checkout(remote, tmp_path / "apply1"), env)
        assert applied.returncode == 0, applied.stdout + applied.stderr
        assert "Apply complete" in applied.stdout

        mr = _with_ci_scripts(_checkout(remote, tmp_path / "mr"))
        git(mr, "checkout", "--quiet", "-b", "cheaper-tote")
        tote = mr / "products" / "tote-bag.yaml"
        tote.write_text(tote.read_text().replace("price: 18.50", "price: 16.50"))
        git(mr, "commit", "--quiet", "-am", "Cheaper tote")
        review = _job("review", mr, env)
        assert review.returncode == 0, review.stdout + review.stderr
        assert "18.50` → `16.50` (-10.8%)" in (mr / "diff.md").read_text()
        for _ in range(2):   # two pushes to the merge request: one note, updated
            planned = _job("plan", mr, env)
            assert planned.returncode == 0, planned.stdout + planned.stderr
        assert len(gitlab.notes) == 1
        assert gitlab.notes[0]["body"].startswith("<!-- catalogctl-plan:production -->\n### catalogctl plan")
        assert 'product["AC-TOTE"]' in gitlab.notes[0]["body"]

        clean = _with_ci_scripts(_checkout(remote, tmp_path / "drift1"))
        assert _job("drift", clean, env).returncode == 0
        assert gitlab.issues == []   # no drift, no issue
        git(mr, "push", "--quiet", "origin", "HEAD:main")   # merged but not applied yet: the store drifts
        drifted = _with_ci_scripts(_checkout(remote, tmp_path / "drift2"))
        for _ in range(2):
            result = _job("drift", drifted, env)
            assert result.returncode == 0, result.stdout + result.stderr
        assert [(i["state"], i["labels"]) for i in gitlab.issues] == [("opened", ["catalogctl-drift"])]
        assert "jobs/9" in gitlab.issues[0]["description"]
        assert _job("apply", _checkout(remote, tmp_path / "apply2"), env).returncode == 0
        assert _job("drift", _with_ci_scripts(_checkout(remote, tmp_path / "drift3")), env).returncode == 0
        assert gitlab.issues[0]["state"] == "closed" and gitlab.issues[0]["notes"]


def test_applies_queue_per_target_and_forks_get_only_the_review() -> None:
    document = yaml.safe_load((GITLAB / ".gitlab-ci.yml").read_text())
    assert document["apply"]["resource_group"] == "catalogctl-production"
    assert "CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID" in document["plan"]["rules"][0]["if"]
    assert "secret" not in " ".join(document["review"]["script"]).lower()


def test_the_apply_job_pushes_state_with_a_project_access_token_when_one_is_set() -> None:
    document: dict[str, Any] = yaml.safe_load((GITLAB / ".gitlab-ci.yml").read_text())
    setup = document["apply"]["script"][0] + 'echo "url=${CATALOGCTL_STATE_PUSH_URL:-unset}"'
    gitlab = {"CI_SERVER_PROTOCOL": "https", "CI_SERVER_URL": "https://git.example.com:8443/gitlab",
              "CI_PROJECT_PATH": "acme/shop", "PATH": "/usr/bin:/bin"}

    def run(**extra: str) -> str:
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", setup],
                              env={**gitlab, **extra}, capture_output=True, text=True, check=True).stdout.strip()

    assert run() == "url=unset"   # no token: the checkout's own remote, as before
    assert run(STATE_PUSH_TOKEN="glpat-abcdefgh") == "url=https://oauth2:glpat-abcdefgh@git.example.com:8443/gitlab/acme/shop.git"
