"""Every documented Shoprocket error gives a clear message and exit 1; keys and passwords never show."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from shoprocket_cli import ENV, KEY_ENV, PASSWORDS, catalog, run, served

from catalogctl.providers.shoprocket.dialect import MEANINGS

NOT_RETRIED = [400, 401, 403, 404, 405, 406, 410]


@pytest.mark.parametrize("status", NOT_RETRIED)
def test_each_documented_refusal_is_one_clear_error(tmp_path: Path, status: int) -> None:
    with served(tmp_path) as sandbox:
        root = catalog(tmp_path, sandbox.url)
        sandbox.force(status)
        result = run("apply", root, "--target", "http", "--auto-approve", "--no-color")
        assert result.exit_code == 1, result.output
        assert f"Shoprocket call stores.create failed (HTTP {status})" in result.output
        assert MEANINGS[status] in result.output
        assert "Traceback" not in result.output
        assert sandbox.stats()["by_call"]["stores.create"] == 1  # never retried
        assert sandbox.stores() == []


@pytest.mark.parametrize("status", [429, 500, 503])
def test_transient_statuses_are_retried_and_the_store_created_once(tmp_path: Path, status: int) -> None:
    with served(tmp_path) as sandbox:
        root = catalog(tmp_path, sandbox.url)
        sandbox.force(status, count=2)
        result = run("apply", root, "--target", "http", "--auto-approve", "--no-color")
        assert result.exit_code == 0, result.output
        assert sandbox.stats()["by_call"]["stores.create"] == 3 and len(sandbox.stores()) == 1


def test_a_persistent_503_is_a_clear_error_after_the_retries(tmp_path: Path) -> None:
    with served(tmp_path) as sandbox:
        root = catalog(tmp_path, sandbox.url)
        sandbox.force(503, count=20)
        result = run("apply", root, "--target", "http", "--auto-approve", "--no-color")
        assert result.exit_code == 1
        assert "temporarily offline for maintenance" in result.output and "Traceback" not in result.output


def test_a_lost_answer_is_not_repeated_and_says_what_to_check(tmp_path: Path) -> None:
    with served(tmp_path) as sandbox:
        root = catalog(tmp_path, sandbox.url)
        sandbox.faults(fail_after_commit_nth=1)
        result = run("apply", root, "--target", "http", "--auto-approve", "--no-color")
        assert result.exit_code == 1
        assert "may or may not have been created" in result.output
        assert "check the Shoprocket dashboard for the store with subdomain northwind-prints" in result.output
        assert sandbox.stats()["by_call"]["stores.create"] == 1
        sandbox.faults()
        again = run("apply", root, "--target", "http", "--auto-approve", "--no-color")
        assert again.exit_code == 0, again.output
        assert len(sandbox.stores()) == 1  # the second apply recognised it: no duplicate


def test_an_unset_password_variable_is_a_clear_error(tmp_path: Path) -> None:
    with served(tmp_path) as sandbox:
        root = catalog(tmp_path, sandbox.url)
        result = run("apply", root, "--target", "http", "--auto-approve", "--no-color",
                     env={"NORTHWIND_PACKER_PASSWORD": ""})
        assert result.exit_code == 1
        assert "environment variable NORTHWIND_PACKER_PASSWORD is not set" in result.output


def test_keys_and_passwords_never_reach_any_artifact(tmp_path: Path) -> None:
    """The create-store answer's keys and the staff passwords: not in output, logs, plan, report or state."""
    with served(tmp_path) as sandbox:
        root = catalog(tmp_path, sandbox.url)
        plan_file, report = tmp_path / "plan.json", tmp_path / "report.json"
        outputs = [run("plan", root, "--target", "http", "--out", plan_file, "--format", "json").output]
        applied = run("--debug", "apply", root, "--target", "http", "--auto-approve", "--report", report, "-v")
        assert applied.exit_code == 0, applied.output
        outputs.append(applied.output)
        root.joinpath("store.yaml").write_text(root.joinpath("store.yaml").read_text().replace("kg", "lb"))
        outputs.append(run("plan", root, "--target", "http", "--format", "markdown").output)
        sandbox.force(500, count=10)
        root.joinpath("staff.yaml").write_text(root.joinpath("staff.yaml").read_text().replace("sam", "sam2")
                                               .replace("packer@", "packer2@"))
        outputs.append(run("--debug", "apply", root, "--target", "http", "--auto-approve", "-v").output)
        [store] = sandbox.stores()
        secrets = [store[k] for k in ("test_publishable_key", "live_publishable_key", "test_secret_key",
                                      "live_secret_key")] + [*PASSWORDS.values(), ENV[KEY_ENV]]
        files = [plan_file, report, *root.joinpath(".catalogctl").rglob("*.json")]
        texts = outputs + [path.read_text() for path in files]
        assert len(files) >= 3 and all(secrets)
        for text in texts:
            for secret in secrets:
                assert secret not in text
        state = json.loads((root / ".catalogctl" / "state" / "http.json").read_text())
        assert "key" not in json.dumps(state["facts"]["store:northwind-prints"])


def test_a_wrong_key_says_which_variable_to_check(tmp_path: Path) -> None:
    with served(tmp_path) as sandbox:
        root = catalog(tmp_path, sandbox.url)
        result = run("apply", root, "--target", "http", "--auto-approve", env={KEY_ENV: "sr_wrong"})
        assert result.exit_code == 1 and "HTTP 401" in result.output and "api_key_env" in result.output
        assert "sr_wrong" not in result.output
        assert httpx.get(f"{sandbox.url}/__sandbox/stats").json()["by_call"] == {"stores.create": 1}
