"""cli/aio.run: a command's large result never goes through repr() (asyncio.run's SIGINT handling did), on
uvloop's loop when it is installed and on asyncio's own when not."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

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


async def _running_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


def test_commands_run_on_uvloop_when_it_is_installed() -> None:
    import uvloop  # declared for every platform it has wheels for (pyproject.toml)

    assert isinstance(aio.run(_running_loop()), uvloop.Loop)


def test_without_uvloop_commands_run_on_asyncios_own_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)   # what `import uvloop` meets where it is not installed
    assert aio.loop_factory() is None
    loop = aio.run(_running_loop())
    assert isinstance(loop, asyncio.BaseEventLoop) and type(loop).__module__.startswith("asyncio")
    _Big.reprs = 0
    assert isinstance(aio.run(_result()), _Big) and _Big.reprs == 0



@pytest.mark.parametrize("closed", ["<&-", "2>&-"])
def test_a_plan_with_a_closed_standard_stream_runs_on_asyncio(tmp_path: Path, closed: str) -> None:
    # uvloop 0.23 aborts the process (SIGABRT) when it closes a descriptor numbered 0-2 that libuv
    # was handed because the stream was closed: the CLI then runs on asyncio's own loop.
    root = Path(__file__).resolve().parents[2]
    catalog = tmp_path / "shop"
    shutil.copytree(root / "examples" / "tshirt-shop", catalog, ignore=shutil.ignore_patterns(".catalogctl"))
    done = subprocess.run(["sh", "-c", f'exec "$0" -m catalogctl plan "$1" {closed}', sys.executable, str(catalog)],
                          env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "catalogctl plan for" in done.stdout
