"""The catalog loaded in a worker thread while the event loop reads the store (issue 13).

A no-op plan of 10,000 products waits on ~200 page requests; loading the catalog is seconds of
CPU that can run in those waits. The read needs one thing from the catalog before its second page:
how many products to expect (so it asks for every page at once and none past the end), which is
known as soon as the files are parsed.

    async with CatalogLoad.start(catalog_dir) as loading:
        count = await loading.product_count()  # None when the files could not be counted
        catalog = await loading.catalog()         # raises InvalidCatalog as load_catalog does

`then(prepare)` hands the thread more of the work: once the catalog is checked it also runs
`prepare` on it (the session builds its desired resources so), and `catalog()` answers what
`prepare` made. The read of the store waits on its pages for a good part of a large plan, time
this thread can use (a 10,000-product no-op plan: the main thread sat idle 0.5-0.9 s while it
waited for pages after the load had finished, then built the desired resources for ~1 s). A
checked catalog waits for that choice: `then` or `catalog()`, whichever comes first, makes it
(awaiting the catalog first hands over the catalog itself), so what comes back never depends on
which thread was faster.

Whatever fails inside the block, a catalog that does not load is the error reported (as when it
was loaded first): the block's exit waits for the load and raises its error instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from catalogctl.config.catalog import load_catalog
from catalogctl.config.models import Catalog

_HANDED_OVER_S = 5.0   # how long the thread may take to return once it has handed its result over


class CatalogLoad:
    """One load_catalog running in a daemon thread (an interrupted command does not wait for it)."""

    def __init__(self, catalog_dir: Path) -> None:
        self._loop = asyncio.get_running_loop()
        self._count: asyncio.Future[int | None] = self._loop.create_future()
        self._done: asyncio.Future[Any] = self._loop.create_future()   # the Catalog, or what `then` made of it
        self._prepare: Callable[[list[Catalog]], Any] | None = None
        self._chosen = threading.Event()   # whether `prepare` runs is known: the thread waits for it
        self._done.add_done_callback(_retrieved)  # an error nobody awaited (the command was interrupted) is no warning
        self._thread = threading.Thread(target=self._run, args=(catalog_dir,), name="catalog-load", daemon=True)

    @classmethod
    def start(cls, catalog_dir: Path) -> CatalogLoad:
        """Start loading `catalog_dir` now (call inside the running event loop)."""
        loading = cls(catalog_dir)
        loading._thread.start()
        return loading

    def _run(self, catalog_dir: Path) -> None:
        try:
            held = [load_catalog(catalog_dir, counted=lambda count: self._tell(self._count, count))]
            self._chosen.wait()
            prepare = self._prepare
            made = held.pop() if prepare is None else prepare(held)   # `prepare` takes the catalog out of `held`
        except BaseException as exc:  # handed to the loop, raised where the catalog is awaited
            self._tell(self._count, None)
            self._tell(self._done, exc, failed=True)
        else:
            self._tell(self._done, made)

    def then(self, prepare: Callable[[list[Catalog]], Any]) -> None:
        """Have the thread also run `prepare` on the checked catalog (handed over as the one item of a list,
        which `prepare` empties to let the catalog go while it works), unless `catalog()` was awaited first."""
        if not self._chosen.is_set():
            self._prepare = prepare
            self._chosen.set()

    def _tell(self, future: asyncio.Future[Any], value: Any, failed: bool = False) -> None:
        def settle() -> None:
            if future.done():
                return
            if failed:
                future.set_exception(value)
            else:
                future.set_result(value)

        with contextlib.suppress(RuntimeError):  # the loop is closed: the command ended before the load did
            self._loop.call_soon_threadsafe(settle)

    def product_count(self) -> asyncio.Future[int | None]:
        """The number of products the catalog files hold (None if they could not be read), to await."""
        return asyncio.shield(self._count)

    async def catalog(self) -> Any:
        """The validated catalog, or what `then`'s `prepare` made of it; raises what load_catalog (or
        `prepare`) raises."""
        self._chosen.set()   # no `then` yet: the catalog itself
        try:
            return await asyncio.shield(self._done)
        finally:
            if self._done.done():
                # The thread still holds the catalog in its frames until it returns (a moment after it
                # handed it over, or later on a busy machine): it is done, so wait that moment out, and
                # `forget` then leaves no reference to the catalog anywhere.
                self._thread.join(_HANDED_OVER_S)

    def forget(self) -> None:
        """Keep no reference to the loaded catalog (call after `catalog()` returned it)."""
        if self._done.done() and not self._done.cancelled() and self._done.exception() is None:
            self._done = self._loop.create_future()
            self._done.set_result(None)  # still "loaded fine" for __aexit__, holding nothing

    async def __aenter__(self) -> CatalogLoad:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        traceback: TracebackType | None) -> None:
        self._chosen.set()   # a thread still loading finishes and ends, whatever the block did
        if kind is None or not issubclass(kind, Exception):
            return  # success, or a cancellation / interrupt: nothing to wait for
        try:
            await self.catalog()
        except Exception as failed:  # the catalog's own error comes first, as when it was loaded first
            raise failed from None


def _retrieved(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()
