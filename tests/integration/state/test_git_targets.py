"""Targets without surprises, and `state: git` end to end through the CLI: two clones applying the
same catalog to one store at once (one applies, the other is refused, no duplicates), a killed
apply's lock reported and broken with `state unlock`, and the state a fresh clone reads."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from gitkit import bare_remote, branch_file, clone, git

from catalogctl.config.targets import resolve_target
from catalogctl.errors import TargetError
from catalogctl.sandbox import create_app, serve_in_thread

REPO = Path(__file__).resolve().parents[3]
SECRETS = {"GK_TOKEN": "gk-sandbox", "GK_KEY": "sandbox-api-key"}


def _targets(url: str, *, default: str | None = "production", state: str = "git") -> str:
    head = f"default_target: {default}\n" if default else ""
    return (head + f"targets:\n  production:\n    provider: sandbox\n    url: {url}\n    api_user: catalogctl\n"
            f"    auth_token_env: GK_TOKEN\n    api_key_env: GK_KEY\n    state: {state}\n"
            f"  staging:\n    provider: sandbox\n    url: {url}\n")


def _catalctl(cwd: Path, *args: str, wait: bool = True) -> subprocess.Popen[str] | subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "catalogctl", *args]
    env = {**os.environ, **SECRETS, "PYTHONPATH": str(REPO)}
    if not wait:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, stdin=subprocess.DEVNULL)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def _shop_remote(tmp_path: Path, url: str) -> Path:
    remote = bare_remote(tmp_path)
    seed = clone(remote, tmp_path / "seed-shop")
    shutil.copytree(REPO / "examples" / "pod-store", seed, dirs_exist_ok=True)
    (seed / "catalogctl.yaml").write_text(_targets(url))
    git(seed, "add", "-A")
    git(seed, "commit", "--quiet", "-m", "shop")
    git(seed, "push", "--quiet", "origin", "HEAD:main")
    return remote


def test_default_target_and_the_error_that_lists_the_targets(tmp_path: Path) -> None:
    (tmp_path / "catalogctl.yaml").write_text(_targets("http://127.0.0.1:9", default="staging"))
    assert resolve_target(tmp_path, None).name == "staging"
    assert resolve_target(tmp_path, "embedded").embedded
    (tmp_path / "catalogctl.yaml").write_text(_targets("http://127.0.0.1:9", default=None))
    with pytest.raises(TargetError) as caught:
        resolve_target(tmp_path, None)
    assert "defines targets (production, staging) but no default_target, and no --target was given" in str(
        caught.value)
    (tmp_path / "catalog.yaml").write_text("products: []\n")
    result = _catalctl(tmp_path, "plan")
    assert result.returncode == 1 and "Pass --target NAME, or add `default_target: NAME`" in result.stderr
    (tmp_path / "catalogctl.yaml").write_text(_targets("http://127.0.0.1:9", default="prod"))
    with pytest.raises(TargetError, match=r"catalogctl.yaml:1:\d+: default_target 'prod' is not one of the targets"):
        resolve_target(tmp_path, None)


def test_the_state_setting_shorthand_long_form_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "catalogctl.yaml"
    path.write_text(_targets("http://127.0.0.1:9", state="git"))
    production = resolve_target(tmp_path, "production").config
    assert production is not None and production.state.backend == "git"
    assert production.state.branch == "catalogctl-state" and production.state.remote == "origin"
    staging = resolve_target(tmp_path, "staging").config
    assert staging is not None and staging.state.backend == "local"
    path.write_text(_targets("http://127.0.0.1:9", state="{backend: git, branch: ops/catalog-state}"))
    config = resolve_target(tmp_path, "production").config
    assert config is not None and config.state.branch == "ops/catalog-state"
    path.write_text(_targets("http://127.0.0.1:9", state="s3"))
    with pytest.raises(TargetError, match=r"targets.production.state"):
        resolve_target(tmp_path, "production")
    path.write_text(_targets("http://127.0.0.1:9", state="{backend: git, branch: a..b}"))
    with pytest.raises(TargetError, match="is not a valid git branch name"):
        resolve_target(tmp_path, "production")


@pytest.mark.slow
def test_two_clones_applying_at_once_one_applies_the_other_is_refused_and_no_duplicates(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite"
    with serve_in_thread(create_app(db)) as url:
        remote = _shop_remote(tmp_path, url)
        first, second = clone(remote, tmp_path / "laptop"), clone(remote, tmp_path / "runner")
        started = time.monotonic()
        racers = [_catalctl(c, "apply", "--auto-approve", "--no-color", wait=False) for c in (first, second)]
        results = [(*p.communicate(timeout=300), p.returncode) for p in racers]
        elapsed = time.monotonic() - started
        codes = sorted(code for _, _, code in results)
        assert codes == [0, 1], results
        loser = next(err for _, err, code in results if code == 1)
        assert "target 'production' is locked by another apply:" in loser
        assert "catalogctl state unlock production" in loser and "ago)" in loser
        winner = next(out for out, _, code in results if code == 0)
        assert "Apply complete:" in winner
        print(f"two-clone race: one applied, one refused; both done in {elapsed:.1f} s")
        assert branch_file(remote, "production.lock") is None
        facts = json.loads(branch_file(remote, "production.json") or "")["facts"]
        assert facts   # the winner's state is on the branch

        # The loser plans again from its own clone: the shared state makes it a no-op, no duplicates.
        again = _catalctl(second, "apply", "--auto-approve", "--no-color")
        assert again.returncode == 0, again.stdout + again.stderr
        assert "No changes" in again.stdout or "Plan: 0 to create, 0 to update" in again.stdout
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            duplicates = connection.execute(
                "SELECT sku, COUNT(*) FROM product GROUP BY sku HAVING COUNT(*) > 1").fetchall()
        assert duplicates == []
        shown = _catalctl(second, "state", "show", "production")
        assert shown.returncode == 0
        assert "production.json on branch 'catalogctl-state' of the git remote 'origin'" in shown.stdout
        assert "Lock:   free" in shown.stdout


@pytest.mark.slow
def test_a_killed_apply_leaves_a_lock_that_the_next_one_reports_and_unlock_breaks(tmp_path: Path) -> None:
    with serve_in_thread(create_app(tmp_path / "store.sqlite")) as url:
        remote = _shop_remote(tmp_path, url)
        first, second = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
        httpx.post(f"{url}/__sandbox/faults", json={"latency_ms": 150}).raise_for_status()
        victim = _catalctl(first, "apply", "--auto-approve", wait=False)
        assert isinstance(victim, subprocess.Popen)
        deadline = time.monotonic() + 60
        while branch_file(remote, "production.lock") is None and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(3)   # some steps done, some state pushed
        victim.kill()   # SIGKILL: no cleanup at all
        victim.communicate()
        httpx.post(f"{url}/__sandbox/faults", json={}).raise_for_status()
        assert branch_file(remote, "production.lock") is not None
        refused = _catalctl(second, "apply", "--auto-approve")
        assert refused.returncode == 1
        assert f"(pid {victim.pid})" in refused.stderr and "catalogctl state unlock production" in refused.stderr
        pushed = json.loads(branch_file(remote, "production.json") or '{"facts": {}}')["facts"]
        unlock = _catalctl(second, "state", "unlock", "production", "--yes")
        assert unlock.returncode == 0 and f"(pid {victim.pid})" in unlock.stdout
        finished = _catalctl(second, "apply", "--auto-approve")
        assert finished.returncode == 0, finished.stdout + finished.stderr
        after = json.loads(branch_file(remote, "production.json") or "")["facts"]
        assert set(pushed) <= set(after)   # what the killed apply had pushed is never lost
        assert _catalctl(first, "plan", "--detailed-exitcode").returncode == 0
