"""plan and apply keep the process on one core while the catalog loads beside the read (cores.py), seen
from a thread of the test's own (every thread is moved), and give the cores back: plan when it ends,
apply before its walk."""

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
    """Samples its own cores (sched_getaffinity is per thread), with the time, until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, int]] = []
        self._stop_asked = threading.Event()

    def run(self) -> None:
        while not self._stop_asked.is_set():
            self.samples.append((time.monotonic(), len(os.sched_getaffinity(0))))
            time.sleep(0.0002)
        self.samples.append((time.monotonic(), len(os.sched_getaffinity(0))))

    def stop(self) -> None:
        self._stop_asked.set()
        self.join(5)

    def pinned_span(self) -> tuple[float, float]:
        """When it was first and last seen on one core (it must have been)."""
        pinned = [at for at, cores in self.samples if cores == 1]
        assert pinned, "the command never moved this thread to one core"
        return pinned[0], pinned[-1]


def _watched(tmp_path: Path, *command: str, latency_ms: int = 0) -> _Watcher:
    catalog = copy_example("tshirt-shop", tmp_path)
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url)
        served.faults(latency_ms=latency_ms)
        watcher = _Watcher()
        watcher.start()
        result = run(command[0], catalog, "--target", "http", *command[1:], env=SANDBOX_ENV)
        watcher.stop()
    assert result.exit_code == 0, result.output
    assert watcher.samples[0][1] == len(CORES)     # every core before the command
    assert watcher.samples[-1][1] == len(CORES)    # and after it
    assert os.sched_getaffinity(0) == CORES
    return watcher


def test_plan_runs_its_threads_on_one_core_while_it_reads_then_gives_the_cores_back(tmp_path: Path) -> None:
    """At 100 ms a request the read takes a few rounds: this thread is seen on one core meanwhile."""
    _watched(tmp_path, "plan", latency_ms=100).pinned_span()


def test_apply_gives_the_cores_back_before_its_walk(tmp_path: Path) -> None:
    """The walk of the t-shirt example takes several rounds of 150 ms requests one after the other
    (categories and groups, then products, then their variants and images): all on every core."""
    watcher = _watched(tmp_path, "apply", "--auto-approve", latency_ms=150)
    _, last_pinned = watcher.pinned_span()
    assert watcher.samples[-1][0] - last_pinned > 0.45
