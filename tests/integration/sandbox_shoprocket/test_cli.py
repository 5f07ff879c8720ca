"""`catalogctl sandbox serve --api shoprocket|shoplazza` as a user runs it: a real process, then Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from shoprocket_kit import doc_store

ROOT = Path(__file__).resolve().parents[3]


def _serve(api: str, cwd: Path, *flags: str) -> tuple[subprocess.Popen[str], str, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "catalogctl", "sandbox", "serve", "--api", api, "--port", "0",
                                *flags], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env)
    assert process.stdout is not None
    first = process.stdout.readline()
    match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", first)
    assert match, first + (process.stderr.read() if process.stderr else "")
    return process, match.group(1), [process.stdout.readline() for _ in range(4)]


def _stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    process.wait(timeout=10)


def test_serve_shoprocket_with_its_own_default_store_file(tmp_path: Path) -> None:
    process, url, lines = _serve("shoprocket", tmp_path, "--api-key", "sr_test_pk_cli", "--fail-nth-mutating", "1")
    try:
        assert any("sr_auth:    sr_test_pk_cli" in line for line in lines)
        headers = {"sr_auth": "sr_test_pk_cli"}
        assert httpx.post(f"{url}/v1/stores", json=doc_store(), headers=headers).status_code == 500
        answer = httpx.post(f"{url}/v1/stores", json=doc_store(), headers=headers)
        assert answer.status_code == 200 and answer.json()["data"]["store"]["store_name"] == "Shoprocket Demo Store"
    finally:
        _stop(process)
    assert (tmp_path / ".catalogctl" / "sandbox-shoprocket.sqlite").exists()
    assert not (tmp_path / ".catalogctl" / "sandbox.sqlite").exists()


def test_serve_shoplazza_serves_the_documented_shop(tmp_path: Path) -> None:
    db_path = tmp_path / "shop.db"
    process, url, lines = _serve("shoplazza", tmp_path, "--db", str(db_path))
    try:
        assert any("access-token: sandbox-api-key" in line for line in lines)
        headers = {"access-token": "sandbox-api-key", "content-type": "application/json"}
        answer = httpx.get(f"{url}/openapi/2022-01/shop", params={"fields": "id,name"}, headers=headers)
        assert answer.json() == {"shop": {"id": 633130, "name": "test-shoplazza"}}
    finally:
        _stop(process)
    assert db_path.exists()


@pytest.mark.parametrize("api", ["shopify", "Shoprocket"])
def test_serve_refuses_an_unknown_api(api: str) -> None:
    result = subprocess.run([sys.executable, "-m", "catalogctl", "sandbox", "serve", "--api", api],
                            capture_output=True, text=True, timeout=30, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1 and "--api" in result.stderr
