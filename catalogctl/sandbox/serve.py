"""Running a sandbox under uvicorn: in a background thread (tests, benchmarks) or in the foreground (CLI).

Every server bounds what a client can hold: a request (head and body) must arrive within
REQUEST_TIMEOUT_S (20 s) or it gets a 408 and the connection closes (deadline.py); an idle
keep-alive connection closes after KEEP_ALIVE_S (5 s); a request head over 16 KiB is a 400.
The protocol is fast_http's: uvicorn's h11 protocol, with h11 left out of plain requests.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from catalogctl.sandbox.deadline import REQUEST_TIMEOUT_S, with_timeout

# fast_http copies h11's and uvicorn's rules and reads their internals: it serves only with the versions its
# tests compared it against (requirements/constraints.txt pins them). With any other, or where it cannot be
# imported, the sandbox serves through uvicorn's own h11 protocol with the deadline, as before it.
_CHECKED_WITH = {"h11": "0.16.", "uvicorn": "0.54."}


def _default_protocol() -> Callable[[float], type[asyncio.Protocol]]:
    import importlib.metadata

    try:
        if not all(importlib.metadata.version(name).startswith(prefix) for name, prefix in _CHECKED_WITH.items()):
            return with_timeout
        from catalogctl.sandbox.fast_http import plain_protocol
    except Exception:  # an unknown h11 or uvicorn: the protocol that needs nothing of them
        return with_timeout
    return plain_protocol


sandbox_protocol = _default_protocol()

_START_TIMEOUT_S = 10.0
KEEP_ALIVE_S = 5
MAX_HEAD_BYTES = 16 * 1024  # h11's default, said out loud: a larger request head is answered 400


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 picks a free one), bound before uvicorn starts so the url is known."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto says TCP,
    # and without it every keep-alive answer waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    # Listening now, not when uvicorn starts: the CLI prints the url before that, and a client that
    # connected in between was refused (tests of `sandbox serve` failed so on a busy machine).
    sock.listen(2048)
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _server(app: ASGIApp, request_timeout_s: float = REQUEST_TIMEOUT_S,
            protocol: Callable[[float], type[asyncio.Protocol]] = sandbox_protocol) -> uvicorn.Server:
    # No limit_concurrency: past it uvicorn answers 503, a 5xx no store API documents; the request
    # deadline bounds how long any connection can be held instead.
    config = uvicorn.Config(
        app, http=protocol(request_timeout_s), log_level="warning", lifespan="off", access_log=False,
        timeout_graceful_shutdown=5, timeout_keep_alive=KEEP_ALIVE_S, h11_max_incomplete_event_size=MAX_HEAD_BYTES,
    )
    return uvicorn.Server(config)


@contextmanager
def serve_in_thread(
    app: ASGIApp, host: str = "127.0.0.1", port: int = 0, request_timeout_s: float = REQUEST_TIMEOUT_S,
    protocol: Callable[[float], type[asyncio.Protocol]] = sandbox_protocol,
) -> Iterator[str]:
    """Serve `app` over real HTTP in a daemon thread; yields the base url and shuts down on exit.
    `protocol` makes the HTTP protocol class for a request deadline (tests compare deadline.with_timeout's)."""
    sock = bind(host, port)
    server = _server(app, request_timeout_s, protocol)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="sandbox-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.01)
    try:
        yield base_url(sock)
    finally:
        server.should_exit = True
        thread.join(_START_TIMEOUT_S)
        sock.close()


def serve_forever(app: ASGIApp, sock: socket.socket) -> None:
    """Serve in the foreground until Ctrl-C (the CLI)."""
    server = _server(app)
    server.config.log_level = "info"
    server.run(sockets=[sock])


class SwitchableApp:
    """An ASGI app that forwards to whichever app is installed now: one server serves many stores in
    turn (a test suite pays for a new SQLite store per test, not for a server start per test)."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "no sandbox app installed"
        await self.app(scope, receive, send)
