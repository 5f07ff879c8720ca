"""Creates whose answer is lost and whose write lands seconds later, over real HTTP with the real CLI.

The apply that loses an answer never sends that create again: it fails the step as uncertain and
records it in state. The next apply reads the store only once the record's settle window (the
target's `timeout`) has passed, adopts what landed and creates what did not, exactly once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from applykit import SANDBOX_ENV, Product, count, duplicates, run, served_sandbox, write_catalog, write_target

NO_DUPLICATES = {"products": [], "variants": [], "images": []}


def _catalog(directory: Path, n: int = 8) -> Path:
    return write_catalog(directory, [Product(f"U-{i:02}", sizes=["S", "M"], images=[f"https://img.example/u{i}.png"])
                                     for i in range(n)])


def _records(catalog: Path) -> dict[str, dict[str, object]]:
    path = catalog / ".catalogctl" / "state" / "http.json"
    if not path.exists():
        return {}
    facts = json.loads(path.read_text())["facts"]
    return {key: value for key, value in facts.items() if key.startswith("uncertain:")}


def _late(url: str) -> dict[str, int]:
    return httpx.get(f"{url}/__sandbox/late_commits").json()


@pytest.mark.parametrize("late_ms", [3000, 10000])
def test_a_write_landing_seconds_after_its_lost_answer_is_adopted_not_duplicated(late_ms: int, tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [])
    with served_sandbox(tmp_path) as served:
        # the settle window (the request timeout) is longer than the store's delay
        write_target(catalog, served.url, concurrency=4, timeout=late_ms / 1000 + 2)
        assert run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV).exit_code == 0
        _catalog(catalog)   # the category and the group exist: the faults below hit products only
        served.faults(late_commit_rate=0.4, late_commit_ms=late_ms, seed=3)
        first = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert first.exit_code == 1, first.output
        assert "not sent again in this apply" in first.output
        lost = _records(catalog)
        assert len(lost) >= 2 and _late(served.url)["pending"] == len(lost)   # each is still on its way
        assert duplicates(served.db) == NO_DUPLICATES
        served.faults()

        started = time.monotonic()
        second = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert second.exit_code == 0, second.output
        assert time.monotonic() - started >= late_ms / 1000 - 3   # it waited for the window, then read
        assert _late(served.url) == {"pending": 0, "landed": len(lost)}
        assert second.output.count("had landed: adopted") == len(lost)
        assert _records(catalog) == {}
        # adopted as if the create had answered: each cover's source and each product's facts are known
        facts = json.loads((catalog / ".catalogctl" / "state" / "http.json").read_text())["facts"]
        assert sum(key.startswith("image:") for key in facts) == 8
        assert sum(key.startswith("product:") for key in facts) == 8
        assert duplicates(served.db) == NO_DUPLICATES and count(served.db, "product") == 8
        assert run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV).exit_code == 0


def test_a_create_that_never_landed_is_created_by_the_next_apply_exactly_once(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path / "shop", n=4)
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, concurrency=1, timeout=2)
        served.faults(fail_nth_mutating=3)   # categories, variant groups, then the first product: HTTP 500
        first = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert first.exit_code == 1, first.output
        assert "create product 'U-00'" in first.output and "not sent again" in first.output
        assert list(_records(catalog)) == ['uncertain:product["U-00"]']
        assert count(served.db, "product") == 3
        served.faults()

        second = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert second.exit_code == 0, second.output
        assert 'the create of product["U-00"]' in second.output and "planned as a create again" in second.output
        assert served.stats()["by_call"]["products.json:create"] == 4 + 1   # sent once by each apply
        assert count(served.db, "product") == 4 and duplicates(served.db) == NO_DUPLICATES
        assert _records(catalog) == {}
        assert run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV).exit_code == 0


def test_the_record_survives_a_sigkill_and_the_next_apply_resolves_it(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path / "shop", n=10)
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, concurrency=1, timeout=5)
        served.faults(latency_ms=120, late_commit_nth=3, late_commit_ms=3000)
        env = {**os.environ, **SANDBOX_ENV, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
        victim = subprocess.Popen([sys.executable, "-m", "catalogctl", "apply", str(catalog), "--target", "http",
                                   "--auto-approve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while not _records(catalog) and time.monotonic() < deadline and victim.poll() is None:
                time.sleep(0.05)
            assert _records(catalog), "no record of the lost create was written"
            time.sleep(1.6)   # its lookups are over: the apply has gone on to other steps
            assert victim.poll() is None, "the apply ended before it could be killed"
        finally:
            victim.kill()   # SIGKILL: no cleanup, no final state write, the lock left behind
            victim.wait()
        (address,) = [value["address"] for value in _records(catalog).values()]
        served.faults()

        second = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert second.exit_code == 0, second.output
        assert f"the create of {address} that lost its answer" in second.output
        assert "had landed: adopted" in second.output
        assert _late(served.url)["landed"] == 1
        assert _records(catalog) == {}
        assert count(served.db, "product") == 10 and duplicates(served.db) == NO_DUPLICATES
        assert run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV).exit_code == 0


def test_a_fresh_clone_without_state_finds_late_variants_and_images_by_their_keys(tmp_path: Path) -> None:
    """Variants are keyed by their values and images by their position: once the late writes have
    landed, a clone without state (so without the records) plans nothing for them and duplicates none."""
    catalog = write_catalog(tmp_path / "shop", [Product(f"F-{i}", sizes=["S"], images=[f"https://img.example/f{i}.png"])
                                                for i in range(3)])
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url, concurrency=4, timeout=5)
        assert run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV).exit_code == 0
        write_catalog(catalog, [Product(f"F-{i}", sizes=["S", "M"],
                                        images=[f"https://img.example/f{i}.png", f"https://img.example/g{i}.png"])
                                for i in range(3)])
        served.faults(late_commit_rate=1.0, late_commit_ms=2500, seed=1)   # every add: answer lost, lands late
        first = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert first.exit_code == 1 and "add variants to 'F-0'" in first.output and "add image 1" in first.output
        assert any(".image[1]" in key for key in _records(catalog))
        assert any(".variant[" in key for key in _records(catalog))
        served.faults()
        deadline = time.monotonic() + 10
        while _late(served.url)["pending"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _late(served.url)["landed"] == 6
        shutil.rmtree(catalog / ".catalogctl")   # a fresh clone: no state, no records
        plan = run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV)
        assert plan.exit_code == 0, plan.output
        assert run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV).exit_code == 0
        assert duplicates(served.db) == NO_DUPLICATES
        assert count(served.db, "image") == 6 and count(served.db, "variant") == 6
