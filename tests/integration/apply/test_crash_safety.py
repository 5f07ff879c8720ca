"""Crash safety: a failure at every Nth mutating request of a larger apply, before the write or after
it committed (the answer lost); re-running apply converges with nothing duplicated."""

from __future__ import annotations

from pathlib import Path

import pytest
from applykit import SANDBOX_ENV, Product, count, duplicates, run, served_sandbox, write_catalog, write_target

SIZES = ["S", "M", "L"]


def larger_catalog(directory: Path) -> Path:
    products = [
        Product(f"CR-{n}", price=f"{10 + n}.50", tags=[f"t{n}", "crash"], sizes=SIZES[: 1 + n % 3],
                images=[f"https://img.example/{n}/{i}.png" for i in range(1 + n % 3)],
                category=("Shirts", "Hats")[n % 2])
        for n in range(12)
    ]
    return write_catalog(directory, products, categories=("Shirts", "Hats"),
                         webhooks={"orders": "https://hooks.example/orders", "refunds": "https://hooks.example/r"})


def mutating_requests_of_a_clean_apply(tmp_path: Path) -> int:
    catalog = larger_catalog(tmp_path / "clean")
    with served_sandbox(tmp_path / "clean") as served:
        write_target(catalog, served.url)
        assert run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV).exit_code == 0
        return int(served.stats()["mutating"])


@pytest.mark.parametrize("fault", ["fail_nth_mutating", "fail_after_commit_nth"])
def test_failure_at_every_nth_mutating_request_converges_without_duplicates(fault: str, tmp_path: Path) -> None:
    total = mutating_requests_of_a_clean_apply(tmp_path)
    assert total >= 20
    for nth in range(1, total + 1, 4):
        where = tmp_path / f"{fault}-{nth}"
        catalog = larger_catalog(where / "shop")
        with served_sandbox(where) as served:
            # timeout: a create answered 500 is left to the next apply, which waits out this window
            write_target(catalog, served.url, concurrency=8, timeout=2)
            served.faults(**{fault: nth})
            outputs = []
            for _attempt in range(4):
                result = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
                outputs.append(result.output)
                if result.exit_code == 0:
                    break
            else:
                pytest.fail(f"{fault}={nth}: apply did not converge:\n" + "\n---\n".join(outputs))
            plan = run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV)
            assert plan.exit_code == 0, f"{fault}={nth}:\n{plan.output}"
            assert duplicates(served.db) == {"products": [], "variants": [], "images": []}, f"{fault}={nth}"
            assert count(served.db, "product") == 12
            assert count(served.db, "webhook") == 2 and count(served.db, "category") == 2
