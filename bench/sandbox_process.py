"""A sandbox served from its own process, so a benchmark measures the client apart from the server."""

from __future__ import annotations

import multiprocessing
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class ServedSandbox:
    url: str
    pid: int


def _serve(db_path: str, port: int) -> None:
    from catalogctl.sandbox import create_app, serve_in_thread

    with serve_in_thread(create_app(db_path), port=port):
        threading.Event().wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/__sandbox/stats", timeout=1).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the sandbox did not start")


@contextmanager
def sandbox_process(db_path: str) -> Iterator[ServedSandbox]:
    """Serve the sandbox stored in `db_path` on a free loopback port until the block ends."""
    port = _free_port()
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(db_path, port), daemon=True)
    server.start()
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url)
        assert server.pid is not None
        yield ServedSandbox(url, server.pid)
    finally:
        server.terminate()
        server.join(5)
