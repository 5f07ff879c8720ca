"""The late-commit fault: a create's connection is dropped first and its write lands N ms later
(a store still working when the client gave up), so a lookup right after the timeout finds nothing."""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sandbox_helpers import AUTH, Sandbox, new_product

from catalogctl.sandbox import FaultConfig, create_app

LOST = (httpx.RemoteProtocolError, httpx.ReadError)


def _found(sandbox: Sandbox, sku: str) -> int:
    answer = sandbox.call("search_products", keyword=sku)
    return 0 if "error" in answer else int(answer["products"]["products_count"])


def _wait_landed(sandbox: Sandbox, landed: int, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while sandbox.http.get(f"{sandbox.url}/__sandbox/late_commits").json()["landed"] < landed:
        assert time.monotonic() < deadline, "the late write never landed"
        time.sleep(0.02)


def test_the_write_lands_after_the_answer_was_lost(sandbox: Sandbox) -> None:
    assert sandbox.set_faults(late_commit_nth=1, late_commit_ms=300).status_code == 200
    started = time.monotonic()
    with pytest.raises(LOST):
        sandbox.post("products", product=new_product("Late Tee", sku="LATE-1"))
    assert time.monotonic() - started < 0.25  # the answer is lost at once, not after the delay
    assert _found(sandbox, "LATE-1") == 0  # a lookup right after the timeout sees nothing...
    assert sandbox.http.get(f"{sandbox.url}/__sandbox/late_commits").json() == {"pending": 1, "landed": 0}
    _wait_landed(sandbox, 1)
    assert time.monotonic() - started >= 0.3
    assert _found(sandbox, "LATE-1") == 1  # ...and then the product is there, exactly once


def test_only_creates_are_held_back_and_the_nth_counts_creates(sandbox: Sandbox) -> None:
    sandbox.call("products", product=new_product("First", sku="F-1"))
    sandbox.set_faults(late_commit_nth=2, late_commit_ms=100)
    status = sandbox.call("products", product={"action": "product_status", "id": 1, "active": False})
    assert status["status"] == "success"  # an update is never held back nor counted
    assert "id_product" in sandbox.call("products", product=new_product("Second", sku="S-2"))  # create #1
    with pytest.raises(LOST):
        sandbox.post("webhooks", action="create", webhook_data=[{"name": "late", "endpoint": "https://x.example/h"}])
    _wait_landed(sandbox, 1)
    assert [hook["name"] for hook in sandbox.call("webhooks", action="list")] == ["late"]


def test_a_refused_create_is_refused_at_once_and_never_lands(sandbox: Sandbox) -> None:
    sandbox.set_faults(late_commit_rate=1.0, late_commit_ms=50, seed=1)
    answer = sandbox.call("products", product={"title": "No price", "sku": "NP-1"})
    assert answer == {"error": "Product creation failed. Please check your data."}
    time.sleep(0.15)
    assert sandbox.http.get(f"{sandbox.url}/__sandbox/late_commits").json() == {"pending": 0, "landed": 0}


def test_in_process_the_loss_is_what_httpx_raises_and_the_write_lands(tmp_path: Path) -> None:
    app = create_app(tmp_path / "store.db", faults=FaultConfig(late_commit_rate=1.0, late_commit_ms=50, seed=7))

    async def main() -> list[str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.post("/api/create_categories.json", json={**AUTH, "category": {"title": "Late"}})
            await asyncio.sleep(0.2)
            answer = (await client.post("/api/list_categories.json", json=AUTH)).json()
            return [category["title"] for category in answer["categories"]]

    assert "Late" in asyncio.run(main())


def test_serve_takes_the_late_commit_options(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "catalogctl", "sandbox", "serve", "--port", "0", "--db", str(tmp_path / "s.db"),
         "--late-commit-nth", "1", "--late-commit-ms", "200"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", process.stdout.readline())
        assert match
        url = match.group(1)
        faults = httpx.get(f"{url}/__sandbox/faults").json()
        assert (faults["late_commit_nth"], faults["late_commit_ms"]) == (1, 200)
        with pytest.raises(LOST):
            httpx.post(f"{url}/api/create_categories.json", json={**AUTH, "category": {"title": "Late"}})
        time.sleep(0.4)
        answer = httpx.post(f"{url}/api/list_categories.json", json=AUTH).json()
        assert "Late" in [category["title"] for category in answer["categories"]]
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)


def test_serve_refuses_a_bad_late_commit_rate() -> None:
    result = subprocess.run([sys.executable, "-m", "catalogctl", "sandbox", "serve", "--late-commit-rate", "1.5"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "--late-commit-rate" in result.stderr
