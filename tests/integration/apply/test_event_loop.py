"""The CLI's apply runs on uvloop when it is installed (cli/aio.py), and on asyncio's own loop when not
(Windows, where uvloop has no wheels): both carry out the same plan over real HTTP to the same store."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from applykit import SANDBOX_ENV, copy_example, run, served_sandbox, write_target
from storecheck import assert_store_holds

from catalogctl.cli import aio


@pytest.mark.parametrize("installed", [True, False])
def test_apply_runs_on_uvloop_when_installed_and_on_asyncio_without_it(
        installed: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not installed:
        monkeypatch.setitem(sys.modules, "uvloop", None)   # `import uvloop` fails as where it is not installed
    factories = []
    real = aio.loop_factory

    def recorded() -> object:
        factories.append(real())
        return factories[-1]

    monkeypatch.setattr(aio, "loop_factory", recorded)
    with served_sandbox(tmp_path) as served:
        shop = copy_example("tshirt-shop", tmp_path)
        write_target(shop, served.url)
        applied = run("apply", shop, "--target", "http", "--auto-approve", "--no-color", env=SANDBOX_ENV)
        assert applied.exit_code == 0, applied.output
        assert "Apply complete" in applied.output
        assert_store_holds(shop, served.db)
        again = run("plan", shop, "--target", "http", "--detailed-exitcode", "--no-color", env=SANDBOX_ENV)
        assert again.exit_code == 0, again.output
    if installed:
        import uvloop

        assert factories == [uvloop.new_event_loop, uvloop.new_event_loop]   # apply's loop, then plan's
    else:
        assert factories == [None, None]
