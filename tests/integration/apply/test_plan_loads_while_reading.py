"""`plan` loads the catalog while it reads the store (issue 13): the same results and the same errors,
the catalog's first, as when it loaded the catalog before opening the target."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
import weakref
from pathlib import Path
from typing import Any

import pytest
from applykit import (
    SANDBOX_ENV,
    TOKEN_ENV,
    Product,
    break_catalog,
    copy_example,
    run,
    served_sandbox,
    write_catalog,
    write_target,
)

from catalogctl.config.background import CatalogLoad
from catalogctl.config.catalog import load_catalog
from catalogctl.config.problems import InvalidCatalog
from catalogctl.config.targets import resolve_target
from catalogctl.core.uncertain import UncertainCreate
from catalogctl.model.address import Address
from catalogctl.session import open_session
from catalogctl.state.file import load_state
from catalogctl.state.journal import StateJournal
from catalogctl.state.uncertain import UncertainJournal


@pytest.mark.parametrize("command", [("plan",), ("apply", "--auto-approve")], ids=lambda c: c[0])
def test_an_invalid_catalog_is_the_error_even_when_the_target_cannot_be_opened(
        tmp_path: Path, command: tuple[str, ...]) -> None:
    """plan and apply alike: the catalog loads while the target opens, and its error is the one reported."""
    catalog = write_catalog(tmp_path / "shop", [Product("A-1")])
    break_catalog(catalog)
    write_target(catalog, "http://127.0.0.1:9")
    result = run(command[0], catalog, "--target", "http", *command[1:], env={TOKEN_ENV: "", "TEST_SANDBOX_KEY": "k"})
    assert result.exit_code == 1
    assert "broken.yaml:3" in result.output and "title" in result.output
    assert TOKEN_ENV not in result.output  # the credentials error is not the one reported
    assert "Traceback" not in result.output


def test_an_invalid_catalog_is_the_error_while_the_store_answers(tmp_path: Path) -> None:
    catalog = copy_example("tshirt-shop", tmp_path)
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url)
        assert run("apply", catalog, "--target", "http", "--auto-approve", env=SANDBOX_ENV).exit_code == 0
        break_catalog(catalog)
        result = run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV)
        assert result.exit_code == 1
        assert "broken.yaml:3" in result.output
        assert "No changes" not in result.output and "Traceback" not in result.output
        (catalog / "broken.yaml").unlink()
        again = run("plan", catalog, "--target", "http", "--detailed-exitcode", env=SANDBOX_ENV)
        assert again.exit_code == 0 and "No changes" in again.output


def test_an_unreachable_store_is_the_error_when_the_catalog_is_valid(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1")])
    write_target(catalog, "http://127.0.0.1:9")
    result = run("plan", catalog, "--target", "http", env=SANDBOX_ENV)
    assert result.exit_code == 1
    assert "could not connect" in result.output


def test_the_product_count_is_known_before_the_catalog_is_checked(tmp_path: Path) -> None:
    catalog = copy_example("pod-store", tmp_path)

    async def load() -> tuple[int | None, int]:
        async with CatalogLoad.start(catalog) as loading:
            count = await loading.product_count()
            return count, len((await loading.catalog()).products)

    count, products = asyncio.run(load())
    assert count == products == len(load_catalog(catalog).products) > 20


def test_a_load_that_fails_raises_where_the_catalog_is_awaited_and_at_the_block_exit(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "shop", [Product("A-1")])
    break_catalog(catalog)

    async def load() -> str:
        try:
            async with CatalogLoad.start(catalog):
                raise ConnectionError("the store is down")
        except InvalidCatalog as exc:
            return str(exc)
        return "no error"

    assert "broken.yaml:3" in asyncio.run(load())


def test_the_read_beside_the_load_still_resolves_lost_creates(tmp_path: Path) -> None:
    """A create whose answer an apply lost is noted by the next plan (the read waits out its window first)."""
    catalog = write_catalog(tmp_path / "shop", [Product("A-1")])
    with served_sandbox(tmp_path) as served:
        write_target(catalog, served.url)
        # The record is made once the sandbox is up: its window is not spent waiting for the server to start
        # (on a busy machine that took more than the 0.1 s of slack, and the wait looked too short).
        sent = time.time() - 0.5
        state = load_state(catalog / ".catalogctl" / "state" / "http.json", "http")
        record = UncertainCreate(str(Address.for_product("A-1")), "sku=A-1", "products.json", sent, 1.0,
                                 "Server disconnected without sending a response.")
        UncertainJournal(state, StateJournal(state)).lost([record])
        started = time.monotonic()
        result = run("plan", catalog, "--target", "http", env=SANDBOX_ENV)
        assert result.exit_code == 0, result.output
        assert time.time() >= sent + 1.0   # the settle window was waited out before the read ...
        assert time.monotonic() - started >= 0.4   # ... by this plan, not before it began
        assert 'the create of product["A-1"] that lost its answer' in result.output
        assert "planned as a create again" in result.output


def _watched_load(monkeypatch: Any, *, late_s: float = 0.0) -> list[weakref.ref[Any]]:
    """Weak references to the catalog the load thread makes and its products, filled as it loads
    (`late_s`: the load is held back that long after it was counted, so it finishes after the read)."""
    from catalogctl.config import background

    loaded = background.load_catalog
    held: list[weakref.ref[Any]] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        catalog = loaded(*args, **kwargs)
        held.extend([weakref.ref(catalog), *(weakref.ref(p) for p in catalog.products)])
        time.sleep(late_s)
        return catalog

    monkeypatch.setattr(background, "load_catalog", watched)
    return held


def test_planning_lets_the_catalog_go(tmp_path: Path, monkeypatch: Any) -> None:
    """The load thread builds the desired resources and keeps no reference to the catalog (a
    10,000-product plan's peak memory): once planned, nothing holds its models and file positions
    (policies, which locate values, would keep the products)."""
    held = _watched_load(monkeypatch)
    catalog_dir = copy_example("tshirt-shop", tmp_path)
    target = resolve_target(catalog_dir, None)

    async def plan() -> int:
        async with CatalogLoad.start(catalog_dir) as loading, open_session(target) as session:
            loaded = await session.read_while_loading(loading)
            assert loaded.catalog is None and loaded.desired is not None   # made in the load thread
            loading.forget()
            made = session.plan_loaded(loaded)
            assert loaded.desired is None
            return len(made.changes)

    changes = asyncio.run(plan())
    gc.collect()
    assert changes > 20  # a real plan was made (everything is new in the embedded sandbox)
    assert len(held) > 3 and all(ref() is None for ref in held)


def test_the_catalog_goes_while_the_thread_builds_the_resources(tmp_path: Path, monkeypatch: Any) -> None:
    """Not only after the plan: while the load thread builds the desired resources, the catalog model is
    already gone and each product goes once its resources are built (the 10,000-product peak)."""
    from catalogctl.model import from_catalog

    held = _watched_load(monkeypatch)
    attrs_of = from_catalog.product_attrs
    seen: list[tuple[str, bool, int]] = []

    def watching(product: Any) -> Any:
        gone = sum(1 for ref in held[1:] if ref() is None)
        seen.append((threading.current_thread().name, held[0]() is None, gone))
        return attrs_of(product)

    monkeypatch.setattr(from_catalog, "product_attrs", watching)
    catalog_dir = copy_example("pod-store", tmp_path)
    target = resolve_target(catalog_dir, None)

    async def plan() -> None:
        async with CatalogLoad.start(catalog_dir) as loading, open_session(target) as session:
            loaded = await session.read_while_loading(loading)
            loading.forget()
            session.plan_loaded(loaded)

    asyncio.run(plan())
    assert len(seen) == len(held) - 1 > 20
    assert all(name == "catalog-load" and catalog_gone for name, catalog_gone, _ in seen)
    # the n-th product's resources are built when the n-1 before it are gone (the one just built may linger)
    assert all(gone >= index - 1 for index, (_, _, gone) in enumerate(seen))


def test_planning_lets_the_catalog_go_when_it_loaded_after_the_read(tmp_path: Path, monkeypatch: Any) -> None:
    """The same when the catalog finishes loading last (a fast read, as at 10,000 products since pages
    are typed): the asyncio handle that woke the step on the load's future held what it made until the
    step yielded. Nothing of the catalog is left by then, without a collection."""
    held = _watched_load(monkeypatch, late_s=0.5)
    catalog_dir = copy_example("tshirt-shop", tmp_path)
    target = resolve_target(catalog_dir, None)

    async def plan() -> list[bool]:
        async with CatalogLoad.start(catalog_dir) as loading, open_session(target) as session:
            read = session.provider.read
            read_done: list[float] = []

            async def timed(*args: Any) -> Any:
                result = await read(*args)
                read_done.append(time.monotonic())
                return result

            session.provider.read = timed  # type: ignore[method-assign]
            loaded = await session.read_while_loading(loading)
            assert loaded.desired is not None and read_done  # the read had finished before the load
            loading.forget()
            session.plan_loaded(loaded)
            return [ref() is not None for ref in held]   # still inside the step that planned

    alive = asyncio.run(plan())
    assert len(alive) > 3 and not any(alive)


def test_a_load_finished_before_the_session_asked_hands_over_the_catalog(tmp_path: Path, monkeypatch: Any) -> None:
    """`then` after the load finished: the catalog itself is handed over, plan_loaded builds the desired
    resources (and lets the catalog go), and the plan is the one the load thread's resources make."""
    held = _watched_load(monkeypatch)
    catalog_dir = copy_example("pod-store", tmp_path)
    target = resolve_target(catalog_dir, None)

    async def plan(wait_for_load: bool) -> tuple[str, bool]:
        async with CatalogLoad.start(catalog_dir) as loading, open_session(target) as session:
            if wait_for_load:
                await loading.catalog()   # finished: `then` comes too late
            loaded = await session.read_while_loading(loading)
            in_thread = loaded.desired is not None
            assert in_thread != (loaded.catalog is not None)
            loading.forget()
            return session.plan_loaded(loaded).to_json(), in_thread

    late, late_in_thread = asyncio.run(plan(wait_for_load=True))
    gc.collect()
    assert held and all(ref() is None for ref in held)
    early, early_in_thread = asyncio.run(plan(wait_for_load=False))
    assert (late_in_thread, early_in_thread) == (False, True)
    assert late == early and '"create"' in early


def test_a_failure_while_the_thread_builds_the_resources_is_raised_and_the_read_stops(
        tmp_path: Path, monkeypatch: Any) -> None:
    """An error in the desired resources (a bug) surfaces where the load is awaited, as an error in
    the load does, and the read started beside it is cancelled, not left running."""
    from catalogctl import session as session_module

    def broken(held: list[Any], target: Any) -> Any:
        held.clear()
        raise RuntimeError("the resources could not be built")

    monkeypatch.setattr(session_module, "desired_of", broken)
    catalog_dir = copy_example("tshirt-shop", tmp_path)
    target = resolve_target(catalog_dir, None)

    async def plan() -> str:
        async with CatalogLoad.start(catalog_dir) as loading, open_session(target) as session:
            try:
                await session.read_while_loading(loading)
            except RuntimeError as exc:
                others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
                assert all(t.done() for t in others), others
                return str(exc)
        return "no error"

    assert asyncio.run(plan()) == "the resources could not be built"


def test_the_load_thread_holds_no_catalog_once_it_is_handed_over(tmp_path: Path, monkeypatch: Any) -> None:
    """The thread keeps the catalog in its frames until it returns: on a busy machine that can be after the
    plan was made (a flaky memory test). `catalog()` waits that moment out, so nothing is left holding it."""
    told = CatalogLoad._tell

    def lingering(self: CatalogLoad, future: Any, value: Any, failed: bool = False) -> None:
        told(self, future, value, failed)
        if future is self._done:
            time.sleep(0.3)   # descheduled right after handing the catalog over, `value` still in its frame

    monkeypatch.setattr(CatalogLoad, "_tell", lingering)
    catalog_dir = copy_example("tshirt-shop", tmp_path)

    async def load() -> list[bool]:
        async with CatalogLoad.start(catalog_dir) as loading:
            catalog = await loading.catalog()
            await asyncio.sleep(0)   # the handle that woke this step holds the future (as in read_while_loading)
            held = [weakref.ref(catalog), *(weakref.ref(p) for p in catalog.products)]
            loading.forget()
            del catalog
            return [ref() is not None for ref in held]

    alive = asyncio.run(load())
    assert len(alive) > 3 and not any(alive)
