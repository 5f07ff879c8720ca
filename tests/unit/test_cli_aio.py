"""cli/aio.run: a command's large result never goes through repr() (asyncio.run's SIGINT handling did)."""

from __future__ import annotations

import asyncio
import signal

from catalogctl.cli import aio


class _Big:
    reprs = 0

    def __repr__(self) -> str:
        type(self).reprs += 1
        return "big"


async def _result() -> _Big:
    await asyncio.sleep(0)
    return _Big()


def test_the_result_is_returned_without_a_repr() -> None:
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # what makes asyncio.run install its own
    _Big.reprs = 0
    asyncio.run(_result())
    formatted_by_asyncio = _Big.reprs
    _Big.reprs = 0
    assert isinstance(aio.run(_result()), _Big)
    assert _Big.reprs == 0
    assert formatted_by_asyncio > 0  # the cost aio.run avoids (Python 3.11's asyncio.Runner)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
