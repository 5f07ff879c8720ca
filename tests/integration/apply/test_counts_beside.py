"""The plan's per-address actions and its undone changes, made in slices beside the walk (apply/run.py),
are those the whole plan gives at once, in the same order, also across many slices."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from applykit import SANDBOX_ENV, Product, run, served_sandbox, write_catalog, write_target

from catalogctl.apply import run as apply_run
from catalogctl.apply.run import left_undone, planned_actions
from catalogctl.cli.apply import read_plan_file


def test_the_counts_made_in_slices_are_the_whole_plan_s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apply_run, "_SLICE", 300)   # seven slices of a 2,002-change plan, the last one partial
    catalog, saved = tmp_path / "shop", tmp_path / "plan.json"
    write_catalog(catalog, [Product(f"C-{i:03}", sizes=["S", "M"], images=[f"https://img.example/{i}.png"])
                            for i in range(500)])
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url)
        assert run("plan", catalog, "--target", "http", "--out", saved, env=SANDBOX_ENV).exit_code == 0
    plan = read_plan_file(saved)
    assert len(plan.changes) == 2_002
    planned, undone = asyncio.run(apply_run._planned_and_undone(plan.changes))
    assert list(planned.items()) == list(planned_actions(plan).items())
    assert undone == left_undone(plan)
    assert set(planned.values()) == {"create"} and len(planned) == len(plan.changes)


def test_a_plan_without_changes_counts_nothing() -> None:
    assert asyncio.run(apply_run._planned_and_undone(())) == ({}, ())
