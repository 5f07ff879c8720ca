"""A signal at apply's confirmation prompt on a terminal always ends it at once: the one line,
exit 128 + the signal, the lock released (it was sometimes lost while input() slept in readline,
the process hanging with the lock: adv12 m5)."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from applykit import Product, run, write_catalog

TRIES = 10


def _default_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def _read_until(master: int, text: bytes, seconds: float) -> bytes:
    seen, deadline = b"", time.monotonic() + seconds
    while text not in seen and time.monotonic() < deadline:
        if select.select([master], [], [], 0.1)[0]:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
    return seen


def signal_at_the_prompt(catalog: Path, signum: int) -> tuple[int | None, float, str]:
    """(exit code or None if still running 2 s after the signal, seconds it took, terminal output)."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "catalogctl", "apply", str(catalog), "--no-color"],
                               stdin=slave, stdout=slave, stderr=slave, preexec_fn=_default_signals)
    os.close(slave)
    try:
        shown = _read_until(master, b"Enter a value", 60)
        assert b"Enter a value" in shown, shown.decode(errors="replace")
        process.send_signal(signum)
        sent = time.monotonic()
        while process.poll() is None and time.monotonic() - sent < 2:
            shown += _read_until(master, b"\0", 0.02)
        took = time.monotonic() - sent
        shown += _read_until(master, b"\0", 0.2)
        return process.poll(), took, shown.decode(errors="replace")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_a_signal_at_the_prompt_always_ends_it_within_two_seconds(signum: signal.Signals, tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("S-1")])
    locks = catalog / ".catalogctl" / "state"
    for attempt in range(TRIES):
        code, took, shown = signal_at_the_prompt(catalog, signum)
        assert code == 128 + signum, f"try {attempt + 1}: still running {took:.1f} s after {signum.name}\n{shown}"
        assert f"Interrupted ({signum.name}) before the apply started: nothing was changed." in shown
        assert not list(locks.glob("*.lock")), f"try {attempt + 1}: the lock was left"
    assert run("plan", catalog, "--detailed-exitcode").exit_code == 2   # nothing was applied
