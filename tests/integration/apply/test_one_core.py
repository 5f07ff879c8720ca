"""plan and apply keep the process on one core while the catalog loads beside the read (cores.py), seen
from a thread of the test's own (every thread is moved), and give the cores back when they end."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from applykit import SANDBOX_ENV, copy_example, run, served_sandbox, write_target

CORES = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
pytestmark = pytest.mark.skipif(len(CORES) < 2, reason="needs Linux and two cores (CI has both)")


class _Watcher(threading.Thread):
    """Samples its own cores (sched_getaffinity is per thread) until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.seen: set[int] = set()   # the numbers of cores seen
        self.last: set[int] = set()   # its cores when it stopped
        self._stop_asked = threading.Event()

    def run(self) -> None:
        while not self._stop_asked.is_set():
            self.seen.add(len(os.sched_getaffinity(0)))
            time.sleep(0.0002)
        self.last = os.sched_getaffinity(0)

    def stop(self) -> set[int]:
        self._stop_asked.set()
        self.join(5)
        return self.last


@pytest.mark.parametrize("command", [("plan",), ("apply", "--auto-approve")], ids=lambda c: c[0])
def test_the_command_runs_its_threads_on_one_core_then_gives_the_cores_back(
        tmp_path: Path, command: tuple[str, ...]) -> None:
    catalog = copy_example("tshirt-shop", tmp_path)
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url)
        watcher = _Watcher()
        watcher.start()
        result = run(command[0], catalog, "--target", "http", *command[1:], env=SANDBOX_ENV)
        after = watcher.stop()
    assert result.exit_code == 0, result.output
    assert 1 in watcher.seen              # this thread was moved with the command's own
    assert len(CORES) in watcher.seen     # and ran on every core before (or after) the command's phase
    assert after == CORES
    assert os.sched_getaffinity(0) == CORES
