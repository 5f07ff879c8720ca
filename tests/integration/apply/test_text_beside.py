"""`apply --auto-approve` writes a new plan's text beside the walk's start (cli/text_beside.py): the same
text on stdout, everything the walk says on stderr after the text's last line, and a text that cannot
be written stops the walk and loses nothing."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from applykit import SANDBOX_ENV, Product, count, duplicates, run, served_sandbox, write_catalog, write_target

from catalogctl.apply.interrupt import Interrupt
from catalogctl.cli.apply import read_plan_file
from catalogctl.cli.text_beside import HeldStream, TextBeside
from catalogctl.render.text import text_chunks


def _shop(directory: Path, products: int) -> Path:
    return write_catalog(directory, [Product(f"T-{i:03}", sizes=["S", "M", "L"],
                                             images=[f"https://img.example/{i}.png"]) for i in range(products)])


def test_the_text_is_the_sequential_apply_s_and_comes_before_every_progress_line(tmp_path: Path) -> None:
    # 300 products: ~6,000 lines of text in two chunks, while the steps end every few milliseconds.
    beside, sequential = _shop(tmp_path / "beside", 300), _shop(tmp_path / "sequential", 300)
    with served_sandbox(tmp_path / "a") as first, served_sandbox(tmp_path / "b") as second:
        write_target(beside, first.url, concurrency=8)
        write_target(sequential, second.url, concurrency=8)
        written = run("apply", beside, "--target", "http", "--auto-approve", "--no-color", env=SANDBOX_ENV)
        # --verbose keeps the old order: the whole text, then the walk (and a line per step on stderr)
        shown = run("apply", sequential, "--target", "http", "--auto-approve", "--no-color", "--verbose",
                    env=SANDBOX_ENV)
    assert written.exit_code == 0 and shown.exit_code == 0, written.output + shown.output
    assert written.stdout == shown.stdout and written.stdout.count("\n") > 6_000
    text_end = written.output.index("\nPlan: ")
    progress = [n for n, line in enumerate(written.output.splitlines()) if line.startswith("[")]
    assert len(progress) >= 20   # a line about every 5% of the 302 steps
    assert written.output[:text_end].count("\n[") == 0     # none inside the text
    assert written.output.index("\n[") > text_end


def test_a_text_that_cannot_be_written_stops_the_walk_and_the_next_apply_finishes(tmp_path: Path) -> None:
    catalog = _shop(tmp_path / "shop", 120)
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, concurrency=4)
        served.faults(latency_ms=30)
        report = tmp_path / "report.json"
        process = subprocess.Popen(
            [sys.executable, "-m", "catalogctl", "apply", str(catalog), "--target", "http", "--auto-approve",
             "--no-color", "--report", str(report)], env={**os.environ, **SANDBOX_ENV},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout is not None
        process.stdout.close()   # `catalogctl apply ... | head -0`: the first write of the text fails
        _, err = process.communicate(timeout=120)
        assert process.returncode == 1, err
        assert b"BrokenPipeError" in err and b"Traceback" not in err
        # The walk stopped at the text's first chunk: the categories and groups in flight finished, no product
        # started; what was done is in the state and in the report, and the lock is released.
        assert count(served.db, "product") < 120
        outcome = json.loads(report.read_text())
        done = [s for s in outcome["steps"] if s["status"] == "done"]
        assert outcome["status"] == "interrupted" and len(done) == outcome["counts"]["done"] < 122
        assert any(s["error"] == "not started: the plan's text could not be written" for s in outcome["steps"])
        state = json.loads((catalog / ".catalogctl" / "state" / "http.json").read_text())
        assert state["facts"] or count(served.db, "product") == 0
        assert not (catalog / ".catalogctl" / "state" / "http.lock").exists()
        served.faults()
        again = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert again.exit_code == 0, again.output
        assert count(served.db, "product") == 120
        assert run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV).exit_code == 0
        assert duplicates(served.db) == {"products": [], "variants": [], "images": []}


def test_with_stderr_closed_the_apply_finishes_reports_and_then_fails(tmp_path: Path) -> None:
    # The walk's progress lines are held until the text is out, so they fail only then: the apply is done.
    catalog, report = _shop(tmp_path / "shop", 60), tmp_path / "report.json"
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url)
        process = subprocess.Popen(
            [sys.executable, "-m", "catalogctl", "apply", str(catalog), "--target", "http", "--auto-approve",
             "--no-color", "--report", str(report)], env={**os.environ, **SANDBOX_ENV},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert process.stderr is not None
        process.stderr.close()
        assert process.wait(timeout=120) == 1
        assert count(served.db, "product") == 60
        outcome = json.loads(report.read_text())
        assert outcome["status"] == "ok" and outcome["counts"]["done"] == 62
        assert run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV).exit_code == 0


def test_the_walk_goes_on_while_the_text_is_written_and_its_stderr_waits_for_the_text(tmp_path: Path) -> None:
    catalog, saved = _shop(tmp_path / "shop", 400), tmp_path / "plan.json"
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url)
        assert run("plan", catalog, "--target", "http", "--out", saved, env=SANDBOX_ENV).exit_code == 0
    plan = read_plan_file(saved)
    whole = "".join(text_chunks(plan, color=False))
    assert whole.count("\n") > 8_000   # two chunks at least
    stdout, stderr = io.StringIO(), io.StringIO()
    seen: list[int] = []   # how much of the text was out at each of the walk's turns

    async def walk_beside() -> None:
        text = TextBeside(plan, color=False, interrupt=Interrupt())
        for turn in range(400):
            seen.append(len(stdout.getvalue()))
            print(f"[{turn}] done", file=sys.stderr)   # as the progress lines and logging write it
            await asyncio.sleep(0)
        assert stderr.getvalue() == ""   # held while the text was being written
        assert text.finish() is None   # nothing failed to be written

    with redirect_stdout(stdout), redirect_stderr(stderr):
        asyncio.run(walk_beside())
    assert stdout.getvalue() == whole
    assert seen[0] == seen[1] == 0   # the walk's first steps go first (they send before the text begins)
    assert sum(0 < n < len(whole) for n in seen) >= 2 and seen[-1] == len(whole)   # and turn between chunks
    assert stderr.getvalue() == "".join(f"[{turn}] done\n" for turn in range(400))


def test_a_held_stream_keeps_its_text_until_released_then_writes_through(tmp_path: Path) -> None:
    with (tmp_path / "stderr").open("w+") as target:
        held = HeldStream(target)
        held.write("[1/3] done\n")
        held.write("[2/3] done\n")
        held.flush()
        target.flush()
        assert Path(target.name).read_text() == ""
        assert held.isatty() is False and held.fileno() == target.fileno()
        held.release()
        assert Path(target.name).read_text() == "[1/3] done\n[2/3] done\n"
        held.write("[3/3] done\n")
        held.flush()
        assert Path(target.name).read_text().endswith("[2/3] done\n[3/3] done\n")
