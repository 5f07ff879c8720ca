"""The benchmark of issue 13 in its quick, counts-only mode, as CI runs it: the real CLI in fresh
processes against a sandbox in another process, 1,000 products. Counts only (they are stable; times
are not, least of all with the suite spread over workers)."""

from __future__ import annotations

import pytest

from bench.scale import PAGE, Run, Store, apply_requests, count_rows, main, noop_plan_requests


def test_the_quick_mode_costs_exactly_its_requests(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--quick", "--counts-only", "--latency-ms", "0"])   # raises SystemExit when a count regressed
    printed = capsys.readouterr().out
    assert noop_plan_requests(1000) == 1000 // PAGE + 3 == 23   # every page once; the last full one ends the read
    assert apply_requests(1000) == 1007
    counted = ("no-op plan, requests", "apply, requests")
    rows = [line.split() for line in printed.splitlines() if line.startswith(counted)]
    assert [row[-3:] for row in rows] == [["23", "yes", "23"], ["1007", "yes", "1007"]], printed  # goal, met, measured


def _store(plan_requests: int, apply_requests_made: int) -> Store:
    def run(requests: int) -> Run:
        return Run(code=0, wall_s=1.0, cpu_s=1.0, peak_mib=50.0, requests=requests)

    return Store(1000, apply=run(apply_requests_made), validate=run(0), plan=run(plan_requests), baseline=None)


@pytest.mark.parametrize(("plan", "apply", "met"), [(23, 1007, [True, True]), (24, 1007, [False, True]),
                                                     (22, 1007, [False, True]), (23, 1008, [True, False]),
                                                     (23, 1006, [True, False])])
def test_a_count_off_by_one_either_way_is_a_regression(plan: int, apply: int, met: list[bool]) -> None:
    assert [row[3] for row in count_rows(_store(plan, apply))] == met
