"""The git state backend against a real bare repository: state round trips, the lock as a
fast-forward push, two processes racing from two clones, crashes, and breaking a lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from gitkit import backend, bare_remote, branch_file, clone, git

from catalogctl.errors import StateError
from catalogctl.state import LockHolder


def test_state_written_from_one_clone_is_read_by_another(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    first, second = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    state = backend(first).load()
    assert state.facts == {}
    state.merge({"image:7": {"src": "https://cdn.example/7.png"}})
    state.save()
    assert backend(second).load().facts == {"image:7": {"src": "https://cdn.example/7.png"}}
    document = json.loads(branch_file(remote, "prod.json") or "")
    assert document["target"] == "prod" and document["facts"]["image:7"]["src"] == "https://cdn.example/7.png"


def test_the_users_branches_index_and_work_tree_are_untouched(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    checkout = clone(remote, tmp_path / "a")
    (checkout / "catalog.yaml").write_text("products: [] # edited, not committed\n")
    head = git(checkout, "rev-parse", "HEAD")
    state = backend(checkout).load()
    state.merge({"image:1": {"src": "https://x/1.png"}})
    with backend(checkout).lock():
        state.save()
    assert git(checkout, "rev-parse", "HEAD") == head
    assert git(checkout, "status", "--porcelain") == " M catalog.yaml\n"
    assert git(checkout, "branch", "--list") == "* main\n"
    assert branch_file(remote, "prod.lock") is None   # released


def test_a_second_clone_is_refused_at_once_naming_holder_age_and_unlock(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    first, second = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    with backend(first).lock():
        started = time.monotonic()
        with pytest.raises(StateError) as caught, backend(second).lock():
            pass
        elapsed = time.monotonic() - started
    message = str(caught.value)
    assert f"pid {os.getpid()}" in message and " s ago" in message
    assert "catalogctl state unlock prod" in message
    assert "prod.lock on branch 'catalogctl-state'" in message
    assert elapsed < 5
    with backend(second).lock():   # released by the first: the second can take it now
        assert LockHolder.from_json(branch_file(remote, "prod.lock") or "") is not None


def test_locks_of_two_targets_share_the_branch_without_blocking_each_other(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    first, second = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    with backend(first, "prod").lock(), backend(second, "staging").lock():
        assert branch_file(remote, "prod.lock") and branch_file(remote, "staging.lock")
    assert branch_file(remote, "prod.lock") is None and branch_file(remote, "staging.lock") is None


def test_facts_written_by_two_writers_are_both_kept(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    first, second = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    a, b = backend(first).load(), backend(second).load()
    a.merge({"image:1": {"src": "https://x/1.png"}})
    a.save()
    b.merge({"image:2": {"src": "https://x/2.png"}})
    b.save()   # based on the empty branch: the push is rejected, re-read, merged, pushed again
    facts = json.loads(branch_file(remote, "prod.json") or "")["facts"]
    assert facts == {"image:1": {"src": "https://x/1.png"}, "image:2": {"src": "https://x/2.png"}}


def test_release_never_removes_a_lock_that_replaced_ours(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    first, second = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    with backend(first).lock():
        broken = backend(second).unlock()
        assert broken is not None and broken.pid == os.getpid()
        later = backend(second).lock()
        later.__enter__()
    holder = LockHolder.from_json(branch_file(remote, "prod.lock") or "")
    assert holder is not None   # the second clone's lock survived the first one's release
    later.__exit__(None, None, None)
    assert branch_file(remote, "prod.lock") is None
    assert backend(second).unlock() is None   # nothing left to break


_RACER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    sys.path.insert(0, {kit!r})
    from gitkit import backend
    from catalogctl.errors import StateError
    start_at, checkout = float(sys.argv[1]), Path(sys.argv[2])
    state = backend(checkout).load()
    while time.time() < start_at:
        pass
    try:
        with backend(checkout).lock():
            state.merge({{"image:" + checkout.name: {{"src": "https://x/" + checkout.name}}}})
            state.save()
            time.sleep(2.0)
            print(json.dumps({{"won": True, "held_until": time.time() - start_at}}))
    except StateError as exc:
        print(json.dumps({{"won": False, "message": str(exc), "after": time.time() - start_at}}))
""")


@pytest.mark.slow
def test_two_processes_racing_from_two_clones_exactly_one_takes_the_lock(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    script = _RACER.format(kit=str(Path(__file__).parent))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for round_ in range(3):
        clones = [clone(remote, tmp_path / f"r{round_}-{side}") for side in ("a", "b")]
        start_at = time.time() + 1.0
        processes = [subprocess.Popen([sys.executable, "-c", script, str(start_at), str(c)], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in clones]
        results = []
        for process in processes:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            results.append(json.loads(out))
        winners = [r for r in results if r["won"]]
        losers = [r for r in results if not r["won"]]
        assert len(winners) == 1 and len(losers) == 1, results
        assert "is locked by another apply" in losers[0]["message"]
        assert "catalogctl state unlock prod" in losers[0]["message"]
        # At once: the loser gives up while the winner still holds the lock, it never waits for it.
        assert losers[0]["after"] < winners[0]["held_until"], results
        assert branch_file(remote, "prod.lock") is None
    facts = json.loads(branch_file(remote, "prod.json") or "")["facts"]
    assert len(facts) == 3   # one winner per round, none lost


def test_a_killed_holder_leaves_a_lock_reported_clearly_and_its_state_kept(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    first, second = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    script = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from gitkit import backend
        b = backend(Path({str(first)!r}))
        state = b.load()
        held = b.lock()
        held.__enter__()
        state.merge({{"image:1": {{"src": "https://x/1.png"}}}})
        state.save()
        os.kill(os.getpid(), 9)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert result.returncode == -9, result.stderr
    with pytest.raises(StateError, match=r"is locked by another apply: .*\(pid \d+\), since .* ago"), \
            backend(second).lock():
        pass
    assert backend(second).load().facts == {"image:1": {"src": "https://x/1.png"}}
    assert backend(second).unlock() is not None
    with backend(second).lock():
        pass


def test_an_unreachable_remote_is_a_clear_error(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    checkout = clone(remote, tmp_path / "a")
    git(checkout, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    with pytest.raises(StateError, match=r"cannot fetch branch 'catalogctl-state' of the git remote 'origin'"):
        backend(checkout).load()


def test_a_catalog_outside_git_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    with pytest.raises(StateError, match=r"is not inside a git clone"):
        backend(tmp_path / "shop").load()
