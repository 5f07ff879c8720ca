"""An answer's head and body go out in one write (catalogctl/sandbox/one_write.py, issue 13): the same
bytes in the same order, the head never held past the loop step that wrote it, nothing lost on close."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sandbox_helpers import AUTH

from catalogctl.sandbox import create_app
from catalogctl.sandbox.one_write import HeadWithBody
from catalogctl.sandbox.serve import serve_in_thread


class _Transport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.calls: list[str] = []

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.calls.append("close")

    def abort(self) -> None:
        self.calls.append("abort")

    def is_closing(self) -> bool:
        return False

    def get_extra_info(self, name: str) -> Any:
        return f"info {name}"


class _Cycle:
    response_started = False


def _view() -> tuple[HeadWithBody, _Transport, _Cycle]:
    transport, cycle = _Transport(), _Cycle()
    return HeadWithBody(transport, cycle, asyncio.get_running_loop()), transport, cycle  # type: ignore[arg-type]


def test_head_and_body_are_one_write() -> None:
    async def go() -> list[bytes]:
        view, transport, cycle = _view()
        cycle.response_started = True
        view.write(b"HTTP/1.1 200 OK\r\n\r\n")
        assert transport.writes == []
        view.write(b"body")
        view.write(b"")  # the end of a Content-Length answer
        await asyncio.sleep(0)
        return transport.writes

    assert asyncio.run(go()) == [b"HTTP/1.1 200 OK\r\n\r\nbody", b""]


def test_a_continue_before_the_answer_goes_out_at_once() -> None:
    async def go() -> list[bytes]:
        view, transport, cycle = _view()
        view.write(b"HTTP/1.1 100 Continue\r\n\r\n")  # written by receive(), before the answer starts
        assert transport.writes == [b"HTTP/1.1 100 Continue\r\n\r\n"]
        cycle.response_started = True
        view.write(b"head")
        view.write(b"body")
        return transport.writes

    assert asyncio.run(go()) == [b"HTTP/1.1 100 Continue\r\n\r\n", b"headbody"]


def test_a_head_without_its_body_goes_out_at_the_next_loop_iteration() -> None:
    async def go() -> tuple[list[bytes], list[bytes]]:
        view, transport, cycle = _view()
        cycle.response_started = True
        view.write(b"head")
        await asyncio.sleep(0)
        after_one_step = list(transport.writes)
        view.write(b"chunk")  # a streamed answer's body, later
        return after_one_step, transport.writes

    assert asyncio.run(go()) == ([b"head"], [b"head", b"chunk"])


def test_close_and_abort_send_a_held_head_first() -> None:
    async def go(how: str) -> tuple[list[bytes], list[str]]:
        view, transport, cycle = _view()
        cycle.response_started = True
        view.write(b"head")
        getattr(view, how)()
        await asyncio.sleep(0)  # the scheduled flush finds nothing left to send
        return transport.writes, transport.calls

    assert asyncio.run(go("close")) == ([b"head"], ["close"])
    assert asyncio.run(go("abort")) == ([b"head"], ["abort"])


def test_everything_else_is_the_transport_s() -> None:
    async def go() -> Any:
        view, _, _ = _view()
        return view.get_extra_info("peername"), view.is_closing()

    assert asyncio.run(go()) == ("info peername", False)


_NONE = b'{"error":"Categories not found."}'  # an empty store's list_categories


def _request(body: dict[str, Any]) -> bytes:
    data = json.dumps({**AUTH, **body}).encode()
    return (b"POST /api/list_categories.json HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            b"content-length: %d\r\n\r\n%s" % (len(data), data))


def _answers(sock: socket.socket, count: int) -> list[bytes]:
    """`count` whole answers read off the socket (by their content-length)."""
    data, answers = b"", []
    while len(answers) < count:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if sep:
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            if len(rest) >= length:
                answers.append(head + sep + rest[:length])
                data = rest[length:]
                continue
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        data += chunk
    return answers


def test_over_http_an_answer_arrives_whole_and_pipelined_answers_in_order(tmp_path: Path) -> None:
    with serve_in_thread(create_app(tmp_path / "store.db")) as url:
        parts = urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
            sock.sendall(_request({}))
            first = sock.recv(65536)  # one write: the head comes with its body (so it did before, mostly)
            assert first.startswith(b"HTTP/1.1 200 OK\r\n") and first.endswith(b"\r\n\r\n" + _NONE), first
            sock.sendall(_request({}) + _request({"api_key": "wrong"}) + _request({}))
            answers = _answers(sock, 3)
    assert [answer.split(b"\r\n")[0] for answer in answers] == \
        [b"HTTP/1.1 200 OK", b"HTTP/1.1 401 Unauthorized", b"HTTP/1.1 200 OK"]
    assert answers[1].endswith(b'{"Error":"Authentication failed. Please contact support."}')
    assert answers[0].endswith(b"\r\n\r\n" + _NONE) and answers[2].endswith(b"\r\n\r\n" + _NONE)
