"""A local state's log: each apply step appends its facts; loading replays them; a full save folds them in."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from catalogctl.state import State, StateJournal, load_state
from catalogctl.state.log import FactLog, log_path


def _file_facts(path: Path) -> dict[str, dict[str, str]]:
    return json.loads(path.read_text())["facts"]


def test_steps_append_to_the_log_and_the_end_of_the_apply_folds_it_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    journal = StateJournal(load_state(path, "prod"))
    journal.record({"image:1": {"src": "https://a"}})
    journal.record({"image:2": {"src": "https://b"}, "product:9": {"options": ["Size"]}})
    journal.record({"image:1": {"src": "https://a2"}})
    assert not path.exists() and len(log_path(path).read_text().splitlines()) == 3
    # another process (a plan during the apply, or the apply after a crash) sees every fact
    assert load_state(path, "prod").facts == {"image:1": {"src": "https://a2"}, "image:2": {"src": "https://b"},
                                              "product:9": {"options": ["Size"]}}
    journal.flush()
    assert _file_facts(path) == load_state(path, "prod").facts and not log_path(path).exists()
    assert journal.writes == 4   # three appends, one whole file


def test_an_apply_after_a_crash_keeps_the_logged_facts_and_skips_a_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    State(path, "prod", {"image:1": {"src": "https://old"}}).save()
    crashed = StateJournal(load_state(path, "prod"))
    crashed.record({"image:1": {"src": "https://new"}})
    crashed.record({"image:2": {"src": "https://b"}})
    with log_path(path).open("a") as log:
        log.write('{"facts":{"image:3":{"src":"ht')   # the crash tore the last line
    state = load_state(path, "prod")
    assert state.facts == {"image:1": {"src": "https://new"}, "image:2": {"src": "https://b"}}
    assert state.dirty   # what only the log said is written out by the next save
    journal = StateJournal(state)
    journal.record({"image:4": {"src": "https://d"}})
    # the old log was folded into the file (with all merged so far) before a new line went after it
    assert set(_file_facts(path)) == {"image:1", "image:2", "image:4"}
    assert log_path(path).read_text().count("\n") == 1 and "image:4" in log_path(path).read_text()
    journal.flush()
    assert set(_file_facts(path)) == {"image:1", "image:2", "image:4"} and not log_path(path).exists()


def test_a_step_costs_the_same_however_large_the_state(tmp_path: Path) -> None:
    """Issue 13: rewriting the whole state after each step made a 10,000-product apply quadratic."""
    path = tmp_path / "prod.json"
    State(path, "prod", {f"image:{n}": {"src": f"https://img.example.com/{n}.png"} for n in range(20_000)}).save()
    before = path.read_bytes()
    journal = StateJournal(load_state(path, "prod"))
    for n in range(50):
        journal.record({f"image:new{n}": {"src": f"https://img.example.com/new{n}.png"}})
    assert path.read_bytes() == before   # the 1 MB file was not rewritten once
    assert log_path(path).stat().st_size < 50 * 80
    journal.flush()
    assert len(_file_facts(path)) == 20_050


def test_a_state_written_through_a_sink_has_no_log(tmp_path: Path) -> None:
    written: list[str] = []
    state = State(tmp_path / "prod.json", "prod", sink=written.append)
    journal = StateJournal(state)
    journal.record({"image:1": {"src": "https://a"}})
    assert not state.appends and not log_path(tmp_path / "prod.json").exists()
    assert len(written) == 1 and '"image:1"' in written[0]


def test_the_log_is_fsynced_off_the_applying_thread_and_never_closed_under_an_fsync(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An fsync takes milliseconds: the apply's event loop must not wait for it (issue 13)."""
    done: list[tuple[str, int]] = []
    real_fsync = os.fsync
    entered = threading.Event()

    def slow_fsync(fd: int) -> None:
        entered.set()
        time.sleep(0.5)
        real_fsync(fd)
        done.append((threading.current_thread().name, fd))

    monkeypatch.setattr(os, "fsync", slow_fsync)
    log = FactLog(tmp_path / "prod.json.log")
    log.append({"image:1": {"src": "https://a"}})
    log.sync()
    assert entered.wait(5)
    log.sync()   # asked while the first runs: queued once
    log.sync()   # asked while one is queued: that one covers it
    assert not done   # the caller did not wait for an fsync (each takes 0.5 s here)
    log.close()   # waits for both before the descriptor goes
    assert len(done) == 2 and all(name.startswith("catalogctl-fsync") for name, _ in done)
    assert [json.loads(line) for line in log.path.read_text().splitlines()] == [{"facts": {"image:1": {"src": "https://a"}}}]


def _failing_log(path: Path, monkeypatch: pytest.MonkeyPatch) -> FactLog:
    """A log with one line appended and one sync asked for, on a disk whose fsync fails."""
    def broken(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    log = FactLog(path)
    log.append({"image:1": {"src": "https://a"}})
    log.sync()
    return log


def test_a_failed_fsync_is_raised_by_the_next_sync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = _failing_log(tmp_path / "prod.json.log", monkeypatch)
    log._syncer.shutdown(wait=True)  # type: ignore[union-attr]  # let it fail
    with pytest.raises(OSError, match="Input/output error"):
        log.sync()
    log.close()


def test_a_failed_last_fsync_is_raised_when_the_log_is_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The end of an apply closes the log: its last fsync failing is an error there, not lost (before
    syncs had a thread of their own, the sync itself raised); once the state file holds everything,
    removing the log does not care."""
    log = _failing_log(tmp_path / "prod.json.log", monkeypatch)
    with pytest.raises(OSError, match="Input/output error"):
        log.close()
    again = FactLog(tmp_path / "prod.json.log")
    again.append({"image:2": {"src": "https://b"}})
    again.sync()
    again.remove()
    assert not again.path.exists()
