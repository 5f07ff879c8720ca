"""asyncio.run for commands whose coroutine returns something large (a plan, an import report)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(coroutine)`, its result handed over beside the task rather than as the task's result.

    Python 3.11's asyncio.run puts its main task in the SIGINT handler it installs, and when it puts
    the default handler back, `signal.getsignal` formats that handler, and so the task and its result,
    with repr(): for a 10,000-product plan, seconds spent on a string nobody sees.
    """
    box: list[T] = []

    async def main() -> None:
        box.append(await coroutine)

    asyncio.run(main())
    return box[0]
