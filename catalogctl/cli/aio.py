"""The CLI's event loop: asyncio.run on uvloop when it is installed, for commands whose coroutine
returns something large (a plan, an import report)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop when it can be imported, else None (asyncio's own).

    uvloop (a declared dependency wherever it has wheels: not on Windows) runs the same coroutines
    with less CPU per socket wake-up and callback: a 1,000-product apply's client CPU 2.06 -> 1.66 s.
    Not when one of stdin, stdout or stderr is closed: libuv may then get 0, 1 or 2 for one of its
    own descriptors, and uvloop 0.23 aborts the process (SIGABRT) when it closes it.
    """
    if not _standard_streams_open():
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _standard_streams_open() -> bool:
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            return False
    return True


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(coroutine)` on the CLI's loop, its result handed over beside the task rather than
    as the task's result.

    Python 3.11's asyncio.run puts its main task in the SIGINT handler it installs, and when it puts
    the default handler back, `signal.getsignal` formats that handler, and so the task and its result,
    with repr(): for a 10,000-product plan, seconds spent on a string nobody sees.
    """
    box: list[T] = []

    async def main() -> None:
        box.append(await coroutine)

    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        runner.run(main())
    return box[0]
