"""`catalogctl sandbox serve` as a user runs it: a real process, a real port, then Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from sandbox_helpers import AUTH


def test_serve_prints_url_and_credentials_and_answers(tmp_path: Path) -> None:
    db_path = tmp_path / "cli.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "catalogctl", "sandbox", "serve", "--port", "0", "--db", str(db_path),
         "--api-user", "catalogctl", "--fail-nth-mutating", "1", "--latency-ms", "5", "--latency-includes-work"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", first)
        assert match, first
        url = match.group(1)
        lines = [process.stdout.readline() for _ in range(5)]
        assert any("auth_token: gk-sandbox" in line for line in lines)
        assert any(f'targets: {{local: {{provider: sandbox, url: "{url}"}}}}' in line for line in lines)
        endpoint = f"{url}/api/create_categories.json"
        assert httpx.post(endpoint, json={**AUTH, "category": {"title": "A"}}).status_code == 500
        answer = httpx.post(endpoint, json={**AUTH, "category": {"title": "B"}}).json()
        assert answer == {"categories": [{"id": "3", "title": "B"}]}
        faults = httpx.get(f"{url}/__sandbox/faults").json()
        assert faults["latency_ms"] == 5 and faults["latency_includes_work"] is True
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    assert db_path.exists()


def test_serve_refuses_bad_fault_flags() -> None:
    result = subprocess.run([sys.executable, "-m", "catalogctl", "sandbox", "serve", "--drop-rate", "2"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "--drop-rate" in result.stderr


def test_serve_explains_an_unusable_store_file(tmp_path: Path) -> None:
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("this is not a database\n" * 100)
    result = subprocess.run([sys.executable, "-m", "catalogctl", "sandbox", "serve", "--port", "0", "--db",
                             str(not_sqlite)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert f"Error: Cannot open the sandbox store {not_sqlite}" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_explains_a_host_it_cannot_use(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from catalogctl.cli import main

    main._register()
    args = ["sandbox", "serve", "--port", "0", "--host", "no-such-host.invalid", "--db", str(tmp_path / "s.db")]
    result = CliRunner().invoke(main.cli, args)
    assert result.exit_code == 1
    assert "Cannot listen on no-such-host.invalid:0" in result.output
    assert "Give --host an address of this machine" in result.output and "--port" not in result.output
    assert "Traceback" not in result.output
