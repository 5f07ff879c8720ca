"""apply frees the catalog before the diff, as plan does (issue 13: the apply's peak memory was the
catalog's models and positions beside the resources, changes and steps of a large plan)."""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

import pytest
from applykit import copy_example, run

import catalogctl.config.background as background
import catalogctl.session as session_module
from catalogctl.config.models import Catalog


def test_the_catalog_is_gone_when_the_diff_starts_and_the_apply_is_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog_dir = copy_example("tshirt-shop", tmp_path)
    loaded: list[weakref.ref[Catalog]] = []
    alive_at_diff: list[bool] = []
    load, build = background.load_catalog, session_module.build_plan

    def load_and_watch(path: Path, **kwargs: Any) -> Catalog:   # in the thread that loads while the store is read
        catalog = load(path, **kwargs)
        loaded.append(weakref.ref(catalog))
        return catalog

    def build_and_look(*args: Any, **kwargs: Any) -> Any:
        alive_at_diff.append(loaded[0]() is not None)   # no gc.collect: reference counting alone frees it
        return build(*args, **kwargs)

    monkeypatch.setattr(background, "load_catalog", load_and_watch)
    monkeypatch.setattr(session_module, "build_plan", build_and_look)
    result = run("apply", catalog_dir, "--auto-approve")
    assert result.exit_code == 0, result.output
    assert alive_at_diff == [False]
    assert "Apply complete" in result.output and "0 failed" in result.output
    again = run("plan", catalog_dir, "--detailed-exitcode")
    assert again.exit_code == 0 and "No changes" in again.output
