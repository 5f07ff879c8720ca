"""`--debug` shows each HTTP request and answer on stderr (method, call, status, time, a redacted
excerpt of the bodies); without it, none of that shows."""

from __future__ import annotations

import re
from pathlib import Path

from applykit import SANDBOX_ENV, Product, run, served_sandbox, write_catalog, write_target

ANSWER = re.compile(r"POST products\.json -> HTTP 200 in \d+ ms, \d+ bytes: \{.*\"id_product\"")


def test_debug_logs_every_request_and_answer_without_secrets(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("D-1"), Product("D-2")])
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url)
        result = run("--debug", "apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert result.exit_code == 0, result.output
    log = result.stderr
    assert re.search(r"DEBUG +catalogctl\.\S+: POST products\.json \{.*\"sku\": \"D-1\"", log)
    assert ANSWER.search(log), log[-2000:]
    assert re.search(r"POST list_products\.json -> HTTP 200 in \d+ ms", log)
    for secret in SANDBOX_ENV.values():
        assert secret not in log and secret not in result.stdout
    assert '"auth_token": "***"' in log or "auth_token" not in log


def test_without_debug_no_http_lines_show(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("Q-1")])
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url)
        result = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert result.exit_code == 0, result.output
    assert "HTTP 200" not in result.stderr and "POST " not in result.stderr
