"""Ctrl-C, SIGTERM and SIGHUP during a real `catalogctl apply` process against a served sandbox:
in-flight steps finish (bounded by the grace period), nothing new starts, the state and the report
are written, the lock is released, the exit code is 128 + the signal, and the next apply finishes
the job without duplicates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from applykit import SANDBOX_ENV, Product, Served, duplicates, run, served_sandbox, write_catalog, write_target


def _default_signals() -> None:
    # A test run started in the background (CI runners, `cmd &`) ignores SIGINT, and catalogctl
    # leaves an ignored signal ignored: give the apply a terminal's Ctrl-C.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def _start_apply(catalog: Path, report: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "catalogctl", "apply", str(catalog), "--target", "http", "--auto-approve",
         "--report", str(report), "--no-color", *extra],
        env={**os.environ, **SANDBOX_ENV}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=_default_signals)


def _wait_for(served: Served, ready: Callable[[dict[str, Any]], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not ready(served.stats()) and time.monotonic() < deadline:
        time.sleep(0.05)


def _shop(tmp_path: Path, n: int = 40) -> Path:
    return write_catalog(tmp_path / "shop", [Product(f"I-{i:02}", images=[f"https://img.example/{i}.png"])
                                             for i in range(n)])


def _lock(catalog: Path) -> Path:
    return catalog / ".catalogctl" / "state" / "http.lock"


def _converges(catalog: Path, served: Served) -> None:
    served.faults()
    again = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
    assert again.exit_code == 0, again.output
    assert run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV).exit_code == 0
    assert duplicates(served.db) == {"products": [], "variants": [], "images": []}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_signal_stops_cleanly_and_a_rerun_converges(tmp_path: Path, signum: signal.Signals) -> None:
    catalog, report = _shop(tmp_path), tmp_path / "report.json"
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, concurrency=2)
        served.faults(latency_ms=100)  # the 42 steps take ~2 s: the signal lands mid-apply
        process = _start_apply(catalog, report)
        _wait_for(served, lambda stats: stats["mutating"] >= 6)
        process.send_signal(signum)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 128 + signum, out + err
        outcome = json.loads(report.read_text())
        assert outcome["status"] == "interrupted" and outcome["interrupted_by"] == signum.name
        statuses = [s["status"] for s in outcome["steps"]]
        assert "done" in statuses and "skipped" in statuses and "failed" not in statuses
        reason = f"not started: the apply was interrupted ({signum.name})"
        assert any(s["error"] == reason for s in outcome["steps"])
        assert f"Apply interrupted ({signum.name}):" in err and "Traceback" not in err
        assert not _lock(catalog).exists()
        state = json.loads((catalog / ".catalogctl" / "state" / "http.json").read_text())
        assert len(state["facts"]) >= statuses.count("done") - 2   # products + covers of the done steps
        _converges(catalog, served)


def test_a_second_signal_cancels_the_steps_in_flight_and_still_reports(tmp_path: Path) -> None:
    catalog, report = _shop(tmp_path, 10), tmp_path / "report.json"
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, concurrency=2, timeout=4)   # timeout: the settle window below
        served.faults(latency_ms=1500)
        process = _start_apply(catalog, report, "--grace-period", "120")
        _wait_for(served, lambda stats: stats["mutating"] >= 3)   # steps are in flight
        process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert time.monotonic() - started < 30    # not the 120 s grace period
        assert process.returncode == 143, out + err     # the first signal names the exit
        outcome = json.loads(report.read_text())
        cancelled = [s for s in outcome["steps"] if s["status"] == "failed"]
        assert cancelled and all(s["error"].startswith("cancelled in flight") for s in cancelled)
        assert "Traceback" not in err and not _lock(catalog).exists()
        # A cancelled create may still land (the store never heard it was abandoned): it is recorded,
        # and the next apply reads the store only once the settle window has passed.
        facts = json.loads((catalog / ".catalogctl" / "state" / "http.json").read_text())["facts"]
        recorded = {key.removeprefix("uncertain:") for key in facts if key.startswith("uncertain:")}
        assert recorded <= {address for step in cancelled for address in step["addresses"]}
        _converges(catalog, served)


def test_the_grace_period_bounds_the_wait_for_steps_in_flight(tmp_path: Path) -> None:
    catalog, report = _shop(tmp_path, 4), tmp_path / "report.json"
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, concurrency=2)
        served.faults(latency_ms=8000)
        process = _start_apply(catalog, report, "--grace-period", "0.5")
        _wait_for(served, lambda stats: stats["mutating"] >= 1)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
        assert time.monotonic() - started < 6     # the request in flight would take 8 s
        assert process.returncode == 143, out + err
        outcome = json.loads(report.read_text())
        assert outcome["status"] == "interrupted"
        assert any(s["status"] == "failed" and s["error"].startswith("cancelled in flight") for s in outcome["steps"])
        assert not _lock(catalog).exists()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_a_signal_before_the_plan_is_built_prints_one_line(tmp_path: Path, signum: signal.Signals) -> None:
    catalog, report = _shop(tmp_path, 3), tmp_path / "report.json"
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url)
        served.faults(latency_ms=3000)   # the read of the store is in progress when the signal comes
        process = _start_apply(catalog, report)
        _wait_for(served, lambda stats: stats["total"] >= 1)
        process.send_signal(signum)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 128 + signum, out + err
        assert err == f"Interrupted ({signum.name}) before the apply started: nothing was changed.\n"
        assert out == "" and not report.exists() and not _lock(catalog).exists()
        assert served.stats()["mutating"] == 0
