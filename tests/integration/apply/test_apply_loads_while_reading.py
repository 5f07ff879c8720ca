"""`apply` loads the catalog while it takes the target's lock, opens the target and reads the store, as
`plan` does (issue 13: the from-scratch apply's time to its first create): the same errors, the
catalog's first, the same plan and outcome as when it loaded the catalog first."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from applykit import (
    SANDBOX_ENV,
    Product,
    break_catalog,
    copy_example,
    run,
    served_sandbox,
    write_catalog,
    write_target,
)

import catalogctl.config.background as background
from catalogctl.config.targets import resolve_target
from catalogctl.session import state_lock


def test_an_invalid_catalog_is_the_error_while_another_apply_holds_the_lock(tmp_path: Path) -> None:
    catalog = copy_example("tshirt-shop", tmp_path)
    break_catalog(catalog)
    with state_lock(resolve_target(catalog, None)):
        result = run("apply", catalog, "--auto-approve")
    assert result.exit_code == 1
    assert "broken.yaml:3" in result.output and "lock" not in result.output.lower()
    (catalog / "broken.yaml").unlink()
    with state_lock(resolve_target(catalog, None)):
        held = run("apply", catalog, "--auto-approve")
    assert held.exit_code == 1 and "lock" in held.output.lower()   # a valid catalog: the lock is the error
    assert "will be created" not in held.output   # nothing planned, nothing applied
    assert run("apply", catalog, "--auto-approve").exit_code == 0


def test_an_unreachable_store_is_the_error_when_the_catalog_is_valid(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1")])
    write_target(catalog, "http://127.0.0.1:9")
    result = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
    assert result.exit_code == 1
    assert "could not connect" in result.output and "Traceback" not in result.output


def test_the_store_is_read_while_the_catalog_loads_and_the_apply_is_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = copy_example("tshirt-shop", tmp_path)
    first = copy_example("tshirt-shop", tmp_path / "first")
    loaded = threading.Event()
    overlapped: list[bool] = []
    load = background.load_catalog

    def slow_load(path: Path, **kwargs: Any) -> Any:
        time.sleep(0.3)   # the read (in the event loop's thread) goes on meanwhile
        catalog = load(path, **kwargs)
        loaded.set()
        return catalog

    with served_sandbox(tmp_path) as served:
        import catalogctl.session as session_module

        read_settled = session_module.read_settled

        async def watched(*args: Any, **kwargs: Any) -> Any:
            overlapped.append(loaded.is_set())
            return await read_settled(*args, **kwargs)

        write_target(catalog, served.url)
        monkeypatch.setattr(background, "load_catalog", slow_load)
        monkeypatch.setattr(session_module, "read_settled", watched)
        result = run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert result.exit_code == 0, result.output
        assert overlapped == [False]   # one read, begun before the catalog had loaded
        assert loaded.is_set()
        monkeypatch.undo()
        again = run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV)
        assert again.exit_code == 0 and "No changes" in again.output
    with served_sandbox(tmp_path / "first") as served:   # the same catalog, applied with the load not slowed
        write_target(first, served.url)
        other = run("apply", first, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
    assert other.exit_code == 0
    assert result.output == other.output   # the plan, the progress and the summary, byte for byte
