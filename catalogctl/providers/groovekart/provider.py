"""GrooveKartProvider: the Provider contract wired to the client, the reader and the executor."""

from __future__ import annotations

from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from typing import ClassVar

import httpx
from pydantic import ValidationError

from catalogctl.config.models import Catalog
from catalogctl.core import Capabilities, Facts, IdRegistry, LiveState, StepResult
from catalogctl.http.errors import BadResponse, ProviderError
from catalogctl.providers.base import Provider
from catalogctl.providers.groovekart.actions import Action
from catalogctl.providers.groovekart.capabilities import CAPABILITIES
from catalogctl.providers.groovekart.credentials import GrooveKartCredentials
from catalogctl.providers.groovekart.dialect import GrooveKartClient, GrooveKartDialect
from catalogctl.providers.groovekart.execute import execute
from catalogctl.providers.groovekart.execute.ahead import Ahead, make_ahead
from catalogctl.providers.groovekart.read import read_live


@contextmanager
def _unexpected_answers(what: str) -> Iterator[None]:
    """An answer of an undocumented shape is a BadResponse naming where, not a pydantic traceback;
    every store error leaving the provider names GrooveKart."""
    try:
        yield
    except ValidationError as exc:
        raise _shape_error(what, exc) from None
    except ProviderError as exc:
        exc.from_vendor(GrooveKartDialect.vendor)
        raise


def _shape_error(what: str, exc: ValidationError) -> BadResponse:
    first = exc.errors(include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    return BadResponse(what, f"unexpected answer shape: {where}: {first['msg']}", vendor=GrooveKartDialect.vendor)


class GrooveKartProvider(Provider):
    """A GrooveKart store reached over its vendor API (or an in-process sandbox via `transport`)."""

    name: ClassVar[str] = "groovekart"
    capabilities: ClassVar[Capabilities] = CAPABILITIES

    def __init__(
        self,
        base_url: str,
        credentials: GrooveKartCredentials,
        *,
        concurrency: int = 8,
        requests_per_second: float | None = None,
        page_size: int = 50,
        timeout: float = 30.0,
        insecure: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        max_retries: int = 4,
        retry_backoff: float = 0.2,
        rate_limit_deadline: float = 120.0,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.client = GrooveKartClient(
            base_url, credentials, concurrency=concurrency, requests_per_second=requests_per_second,
            timeout=timeout, insecure=insecure, transport=transport, max_retries=max_retries,
            backoff=retry_backoff, rate_limit_deadline=rate_limit_deadline,
        )
        self._page_size = page_size
        self.expected_products: int | None = None  # a hint (see read.all_products), never trusted
        self._expected_later: Awaitable[int | None] | None = None
        self._concurrency = concurrency
        self._ahead: Ahead | None = None   # the create request made for the step likely to start next

    def __repr__(self) -> str:
        return f"GrooveKartProvider(requests={self.client.requests})"

    reads_while_loading: ClassVar[bool] = True

    def expect(self, catalog: Catalog) -> None:
        """The catalog's product count: the read asks for all the pages it implies at once."""
        self.expected_products = len(catalog.products)

    def expect_count(self, products: Awaitable[int | None]) -> None:
        """The same count, known later: the read awaits it after its first page."""
        self._expected_later = products

    async def read(self, facts: Facts) -> LiveState:
        """The whole live catalog in O(pages) requests."""
        expected = self.expected_products if self._expected_later is None else self._expected_later
        with _unexpected_answers("read"):
            return await read_live(self.client, facts, self._page_size, self._concurrency, expected)

    def prepare(self, action: Action, ids: IdRegistry) -> None:
        """A create_product's request made ahead (execute/ahead.py); kept until that step starts, or the next."""
        try:
            self._ahead = make_ahead(self.client, action, ids)
        except Exception:   # the step builds it again when it starts, and fails there as ever
            self._ahead = None

    async def execute(self, action: Action, ids: IdRegistry) -> StepResult:
        # _unexpected_answers(action.op.value), inline: a generator, its context manager and the op's name
        # once per step cost more than the step's own bookkeeping (issue 13)
        ahead = self._ahead
        if ahead is not None and ahead.action is action:
            self._ahead = None
        else:
            ahead = None   # made for another step (a step started before it): kept for that one
        try:
            return await execute(self.client, action, ids, ahead)
        except ValidationError as exc:
            raise _shape_error(action.op.value, exc) from None
        except ProviderError as exc:
            exc.from_vendor(GrooveKartDialect.vendor)
            raise

    @property
    def request_count(self) -> int:
        return self.client.requests

    async def aclose(self) -> None:
        await self.client.aclose()
