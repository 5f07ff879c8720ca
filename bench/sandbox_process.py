"""A sandbox served from its own process, so a benchmark measures the client apart from the server."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection

import httpx


@dataclass(frozen=True)
class ServedSandbox:
    url: str
    pid: int


def _serve(db_path: str, answer: Connection) -> None:
    from catalogctl.sandbox import create_app, serve_in_thread

    # The child binds port 0 itself and says which port it got: a port found free in the parent and
    # bound later could be taken meanwhile by another server (the suite runs in several workers), and
    # the benchmark would then measure that one.
    with serve_in_thread(create_app(db_path), port=0) as url:
        answer.send(url)
        answer.close()
        threading.Event().wait()


@contextmanager
def sandbox_process(db_path: str, start_timeout_s: float = 60) -> Iterator[ServedSandbox]:
    """Serve the sandbox stored in `db_path` on a free loopback port until the block ends."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    server = context.Process(target=_serve, args=(db_path, sending), daemon=True)
    server.start()
    sending.close()
    try:
        if not receiving.poll(start_timeout_s):
            raise RuntimeError("the sandbox did not start")
        try:
            url = receiving.recv()
        except EOFError:
            server.join(5)
            raise RuntimeError(f"the sandbox process ended before serving (exit code {server.exitcode})") from None
        httpx.get(f"{url}/__sandbox/stats", timeout=5).raise_for_status()
        assert server.pid is not None
        yield ServedSandbox(url, server.pid)
    finally:
        receiving.close()
        server.terminate()
        server.join(5)
