"""Ctrl-C during a real `catalogctl apply` process: in-flight steps finish, nothing new starts, the
state is written, the outcome says interrupted (exit 130), and the next apply finishes the job."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from applykit import SANDBOX_ENV, Product, duplicates, run, served_sandbox, write_catalog, write_target


def _ctrl_c_reaches_the_child() -> None:
    # A test run started in the background (CI runners, `cmd &`) ignores SIGINT, and Python then
    # never installs its KeyboardInterrupt handler in the child: give the apply a terminal's Ctrl-C.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_sigint_stops_cleanly_and_a_rerun_converges(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product(f"I-{n:02}", images=[f"https://img.example/{n}.png"])
                                                for n in range(40)])
    report = tmp_path / "report.json"
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, concurrency=2)
        served.faults(latency_ms=100)  # the 42 steps take ~2 s: the interrupt lands mid-apply
        process = subprocess.Popen(
            [sys.executable, "-m", "catalogctl", "apply", str(catalog), "--target", "http", "--auto-approve",
             "--report", str(report), "--no-color"],
            env={**os.environ, **SANDBOX_ENV}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=_ctrl_c_reaches_the_child)
        deadline = time.monotonic() + 30
        while served.stats()["mutating"] < 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 130, out + err
        outcome = json.loads(report.read_text())
        assert outcome["status"] == "interrupted"
        statuses = [s["status"] for s in outcome["steps"]]
        assert "done" in statuses and "skipped" in statuses and "failed" not in statuses
        assert any(s["error"] == "not started: the apply was interrupted" for s in outcome["steps"])
        assert "Apply interrupted:" in out + err and "Traceback" not in err
        state = json.loads((catalog / ".catalogctl" / "state" / "http.json").read_text())
        assert len(state["facts"]) >= statuses.count("done") - 2   # products + covers of the done steps
        served.faults()
        again = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert again.exit_code == 0, again.output
        assert run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV).exit_code == 0
        assert duplicates(served.db) == {"products": [], "variants": [], "images": []}
