"""State file atomicity and the apply lock."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from catalogctl.errors import StateError
from catalogctl.state import State, StateJournal, TargetLock, load_state
from catalogctl.state.journal import BUDGET, LARGE_STATE


def test_state_round_trips_and_merges_facts(tmp_path: Path) -> None:
    path = tmp_path / "state" / "prod.json"
    state = load_state(path, "prod")
    assert state.facts == {} and not path.exists()
    assert state.merge({"image:7": {"src": "https://a/1.png"}})
    assert not state.merge({"image:7": {"src": "https://a/1.png"}})
    state.save()
    again = load_state(path, "prod")
    assert again.facts == {"image:7": {"src": "https://a/1.png"}}
    assert json.loads(path.read_text())["target"] == "prod"


def test_a_write_killed_before_the_rename_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    old = State(path, "prod", {"image:1": {"src": "https://old"}})
    old.save()
    before = path.read_text()
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from catalogctl.state import State
        state = State(Path({str(path)!r}), "prod")
        state.merge({{"image:%d" % i: {{"src": "x" * 100}} for i in range(20000)}})
        os.fsync = lambda fd: os._exit(137)   # the process dies with the new data written, not yet renamed
        state.save()
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 137, result.stderr
    assert path.read_text() == before
    assert load_state(path, "prod").facts == {"image:1": {"src": "https://old"}}


def test_a_damaged_state_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    path.write_text('{"format_version": 1, "facts": ')
    with pytest.raises(StateError, match="damaged") as caught:
        load_state(path, "prod")
    assert "deleting it is safe" in str(caught.value)


def test_journal_writes_after_each_step_that_taught_a_fact(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    journal = StateJournal(State(path, "prod"))
    journal.record({})
    assert not path.exists()
    journal.record({"image:1": {"src": "https://a"}})
    assert load_state(path, "prod").facts == {"image:1": {"src": "https://a"}}
    journal.record({"image:1": {"src": "https://a"}})
    assert journal.writes == 1


def test_second_lock_fails_fast_naming_the_lock_file(tmp_path: Path) -> None:
    lock_path = tmp_path / "prod.lock"
    with TargetLock(lock_path):
        with pytest.raises(StateError) as caught, TargetLock(lock_path):
            pass
        message = str(caught.value)
        assert str(lock_path) in message and f"pid {os.getpid()}" in message
    assert not lock_path.exists()
    with TargetLock(lock_path):  # released: can be taken again
        assert lock_path.exists()


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_lock_left_by_a_dead_process_on_this_host_is_taken_over(tmp_path: Path) -> None:
    lock_path = tmp_path / "prod.lock"
    lock_path.write_text(json.dumps({"pid": _dead_pid(), "hostname": socket.gethostname(), "time": "x"}))
    with TargetLock(lock_path):
        assert json.loads(lock_path.read_text())["pid"] == os.getpid()


def test_a_lock_from_another_host_is_never_broken(tmp_path: Path) -> None:
    lock_path = tmp_path / "prod.lock"
    lock_path.write_text(json.dumps({"pid": _dead_pid(), "hostname": "elsewhere.example", "time": "t"}))
    with pytest.raises(StateError, match=r"elsewhere\.example"), TargetLock(lock_path):
        pass
    assert lock_path.exists()


def test_a_large_state_that_writes_slowly_is_written_less_often(tmp_path: Path) -> None:
    """Writing a large state never takes more than 1/BUDGET of the apply (issue 13: it was 30%)."""
    written: list[str] = []

    def slow_sink(text: str) -> None:
        time.sleep(0.02)
        written.append(text)

    facts = {f"image:{n}": {"src": f"https://img.example.com/{n}.png"} for n in range(LARGE_STATE)}
    journal = StateJournal(State(tmp_path / "s.json", "prod", facts, sink=slow_sink), min_interval=0.001)
    journal.record({"image:a": {"src": "https://a.example.com/a.png"}})
    assert journal.writes == 1 and journal.interval() >= BUDGET * 0.02
    journal.record({"image:b": {"src": "https://b.example.com/b.png"}})  # within the budget's interval
    assert journal.writes == 1 and len(written) == 1
    journal.flush()  # the end of the apply writes what is left
    assert journal.writes == 2 and '"image:b"' in written[-1]
