"""The loopback transport against a real TCP server on 127.0.0.1 that answers exactly what each test scripts."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Iterator

import httpx
import pytest

from catalogctl.http.answer import read_head as _read_head
from catalogctl.http.loopback import LeanCalls, LoopbackTransport, transport_for

Reply = Callable[[bytes, asyncio.StreamWriter], Awaitable[bool]]
"""Given the request head, write an answer; False closes the connection."""


@pytest.fixture(autouse=True, params=["asyncio", *(["uvloop"] if sys.platform != "win32" else [])])
def event_loop_kind(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every test on asyncio's own loop and on uvloop's (the CLI's when installed: cli/aio.py), whose
    transports differ (uvloop's TCPTransport is no asyncio.Transport, and raises on a closed write)."""
    if request.param == "asyncio":
        yield request.param
        return
    import uvloop  # a declared dependency wherever it has wheels (pyproject.toml)

    before = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    try:
        yield request.param
    finally:
        asyncio.set_event_loop_policy(before)


def ok(body: bytes, *extra: bytes) -> bytes:
    headers = b"".join(e + b"\r\n" for e in extra)
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), headers, body)


async def serve(reply: Reply) -> tuple[asyncio.Server, str, list[int]]:
    """A server whose connections each read requests (head, then Content-Length bytes) until `reply` says stop."""
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                await reader.readexactly(length)
                if not await reply(head, writer):
                    break
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}", connections


def run(reply: Reply, scenario: Callable[[httpx.AsyncClient, list[int]], Awaitable[None]], timeout: float = 5) -> None:
    async def main() -> None:
        server, url, connections = await serve(reply)
        async with server, httpx.AsyncClient(base_url=url, transport=LoopbackTransport(),
                                             timeout=timeout) as client:
            await scenario(client, connections)

    asyncio.run(main())


def test_only_plain_http_to_loopback_gets_the_lean_transport() -> None:
    assert isinstance(transport_for("http://127.0.0.1:8000/api/"), LoopbackTransport)
    assert isinstance(transport_for("http://localhost:8000/"), LoopbackTransport)
    assert isinstance(transport_for("http://[::1]:8000/"), LoopbackTransport)
    assert transport_for("https://127.0.0.1:8000/") is None
    assert transport_for("http://shop.example.com/") is None
    assert transport_for("https://shop.example.com/api/") is None


def test_requests_reuse_one_connection_and_send_body_and_headers() -> None:
    seen: list[bytes] = []

    async def reply(head: bytes, writer: asyncio.StreamWriter) -> bool:
        seen.append(head)
        writer.write(ok(b'{"n": %d}' % len(seen), b"Content-Type: application/json"))
        return True

    async def scenario(client: httpx.AsyncClient, connections: list[int]) -> None:
        for n in range(1, 4):
            response = await client.post("/api/products.json?x=1", content=b'{"a": 1}', headers={"X-Key": "k"})
            assert response.status_code == 200 and response.json() == {"n": n}
            assert response.http_version == "HTTP/1.1" and response.reason_phrase == "OK"
        assert len(connections) == 1

    run(reply, scenario)
    assert seen[0].startswith(b"POST /api/products.json?x=1 HTTP/1.1\r\n")
    assert b"\r\nX-Key: k\r\n" in seen[0] and b"\r\nContent-Length: 8\r\n" in seen[0]
    assert b"\r\nHost: 127.0.0.1:" in seen[0]


def test_chunked_answers_interim_answers_and_answers_that_end_with_the_connection() -> None:
    answers = [
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4;ext=1\r\nabcd\r\n3\r\nefg\r\n0\r\nTrailer: x\r\n\r\n",
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno",
        b"HTTP/1.0 200 OK\r\n\r\nuntil the end",
    ]

    async def reply(head: bytes, writer: asyncio.StreamWriter) -> bool:
        answer = answers.pop(0)
        writer.write(answer)
        return b"Connection: close" not in answer and b"HTTP/1.0" not in answer

    async def scenario(client: httpx.AsyncClient, connections: list[int]) -> None:
        first = await client.get("/a")
        assert (first.status_code, first.content) == (201, b"abcdefg")
        second = await client.get("/b")
        assert (second.status_code, second.text) == (404, "no")
        third = await client.get("/c")
        assert (third.status_code, third.content) == (200, b"until the end")
        assert len(connections) == 2   # the close asked for by the 404 opened a new one

    run(reply, scenario)


def test_a_dropped_connection_is_the_error_httpcore_raises_and_the_next_request_reconnects() -> None:
    calls: list[int] = []

    async def reply(head: bytes, writer: asyncio.StreamWriter) -> bool:
        calls.append(1)
        if len(calls) == 2:
            writer.transport.abort()
            return False
        writer.write(ok(b"{}"))
        return True

    async def scenario(client: httpx.AsyncClient, connections: list[int]) -> None:
        assert (await client.get("/1")).status_code == 200
        with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
            await client.get("/2")
        assert (await client.get("/3")).status_code == 200
        assert len(connections) == 2

    run(reply, scenario)


def test_a_cut_short_answer_is_a_protocol_error() -> None:
    async def reply(head: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        return False

    async def scenario(client: httpx.AsyncClient, connections: list[int]) -> None:
        with pytest.raises(httpx.RemoteProtocolError, match="cut short"):
            await client.get("/")

    run(reply, scenario)


def test_an_idle_connection_the_server_closed_is_not_reused() -> None:
    async def reply(head: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(ok(b"{}"))
        await writer.drain()
        return False   # closes after answering, without saying so

    async def scenario(client: httpx.AsyncClient, connections: list[int]) -> None:
        assert (await client.get("/1")).status_code == 200
        await asyncio.sleep(0.05)   # the close arrives while the connection is idle
        assert (await client.get("/2")).status_code == 200
        assert len(connections) == 2

    run(reply, scenario)


def test_no_answer_in_time_is_a_read_timeout() -> None:
    async def reply(head: bytes, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(1)
        return False

    async def scenario(client: httpx.AsyncClient, connections: list[int]) -> None:
        with pytest.raises(httpx.ReadTimeout):
            await client.get("/")

    run(reply, scenario, timeout=0.1)


def test_nothing_listening_is_a_connect_error() -> None:
    async def main() -> None:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        async with httpx.AsyncClient(transport=LoopbackTransport()) as client:
            with pytest.raises(httpx.ConnectError):
                await client.get(f"http://127.0.0.1:{port}/")

    asyncio.run(main())


def test_malformed_answers_and_header_injection_are_refused() -> None:
    answers = [b"SPDY/3 200 OK\r\n\r\n", b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
               b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc"]

    async def reply(head: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(answers.pop(0))
        return False

    async def scenario(client: httpx.AsyncClient, connections: list[int]) -> None:
        for _ in range(3):
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get("/")
        request = client.build_request("GET", "/", headers={"X-Evil": "a"})
        request.headers._list[-1] = (b"X-Evil", b"x-evil", b"a\r\nInjected: 1")
        with pytest.raises(httpx.LocalProtocolError):
            await client.send(request)

    run(reply, scenario)


def test_a_cancelled_request_leaves_no_half_used_connection_behind() -> None:
    started = asyncio.Event()

    async def reply(head: bytes, writer: asyncio.StreamWriter) -> bool:
        if b"/slow" in head:
            started.set()
            await asyncio.sleep(0.3)
        writer.write(ok(b"late" if b"/slow" in head else b"fast"))
        return True

    async def scenario(client: httpx.AsyncClient, connections: list[int]) -> None:
        task = asyncio.create_task(client.get("/slow"))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert (await client.get("/fast")).content == b"fast"   # not the slow one's late answer
        assert len(connections) == 2

    run(reply, scenario)


def test_lean_calls_put_on_the_wire_exactly_what_httpx_does() -> None:
    seen: list[bytes] = []

    async def reply(head: bytes, writer: asyncio.StreamWriter) -> bool:
        seen.append(head)
        writer.write(ok(b'{"n": %d}' % len(seen), b"Content-Type: application/json"))
        return True

    async def main() -> None:
        server, url, connections = await serve(reply)
        transport = LoopbackTransport()
        async with server, httpx.AsyncClient(base_url=f"{url}/api/", transport=transport,
                                             headers={"Accept": "application/json", "X-Key": "k"}) as client:
            lean = LeanCalls(transport, client)
            json_type = {"Content-Type": "application/json"}
            for method, content, headers in (("POST", b'{"a": 1}', json_type), ("POST", None, {}), ("GET", None, {})):
                by_httpx = await client.request(method, "products.json", content=content, headers=headers)
                by_lean = await lean.request(method, "products.json", content, headers)
                assert seen[-2] == seen[-1], (method, content)
                assert (by_lean.status_code, by_lean.headers["content-type"]) == (200, "application/json")
                assert json.loads(by_lean.content) == {"n": by_httpx.json()["n"] + 1}
                assert by_lean.text == by_lean.content.decode()
            assert len(connections) == 1   # both share the transport's keep-alive connection

    asyncio.run(main())
    assert seen[0].startswith(b"POST /api/products.json HTTP/1.1\r\n") and b"Content-Length: 8" in seen[0]
    assert b"Content-Length: 0" in seen[2] and b"Content-Length" not in seen[4]


def test_a_request_on_a_connection_closed_under_it_is_a_transport_error_on_either_loop() -> None:
    async def reply(head: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(ok(b"never"))
        return True

    async def main() -> None:
        server, url, _ = await serve(reply)
        transport = LoopbackTransport()
        async with server:
            key = ("127.0.0.1", httpx.URL(url).port or 80)
            conn = await transport._connect(key, 1.0, None)
            conn.close()   # as when the peer's EOF made the transport close itself before the write
            await asyncio.sleep(0.05)   # and the close went through
            # asyncio's transport drops the write, uvloop's raised RuntimeError: both are a lost connection now
            with pytest.raises(httpx.TransportError):
                await conn.send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 1.0, None)
                await _read_head(conn, 1.0, None)
            await transport.aclose()

    asyncio.run(main())


def test_a_body_that_trickles_in_is_waited_for_from_its_last_byte_and_one_that_stalls_times_out() -> None:
    """The read timeout counts from the last byte that arrived, as it did when every arrival woke the reader:
    a body in pieces each sooner than the timeout is read whole, however long it takes in all."""
    body = b'{"id": "12", "variants": []}'
    stalls = [False, True]

    async def reply(head: bytes, writer: asyncio.StreamWriter) -> bool:
        stalled = stalls.pop(0)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body))
        await writer.drain()
        for n in range(0, len(body), 6):
            await asyncio.sleep(0.5 if stalled and n else 0.12)
            writer.write(body[n:n + 6])
            await writer.drain()
        return not stalled

    async def scenario(client: httpx.AsyncClient, connections: list[int]) -> None:
        answer = await client.get("/trickle")   # 5 pieces 0.12 s apart: 0.6 s in all, each within 0.3 s
        assert (answer.status_code, answer.content) == (200, body)
        with pytest.raises(httpx.ReadTimeout, match="no answer in time"):
            await client.get("/stall")

    run(reply, scenario, timeout=0.3)
