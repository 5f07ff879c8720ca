"""Helpers for the Shoplazza provider tests: the example copied, a served shop that records queries, the CLI."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml
from click.testing import CliRunner, Result
from starlette.types import Receive, Scope, Send

from catalogctl.cli import main
from catalogctl.sandbox import serve_in_thread
from catalogctl.sandbox.shoplazza import create_app

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "shoplazza-verified"
TOKEN_ENV = "TEST_SHOPLAZZA_TOKEN"
ENV = {TOKEN_ENV: "shoplazza-token-for-tests-0123456789"}


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    main._register()
    return CliRunner().invoke(main.cli, [str(a) for a in args], env={**ENV, **(env or {})})


@dataclass
class Served:
    url: str
    queries: list[str] = field(default_factory=list)

    def force(self, status: int) -> None:
        httpx.post(f"{self.url}/__sandbox/answers", json={"status": status}).raise_for_status()

    def set_shop(self, **facts: Any) -> None:
        httpx.put(f"{self.url}/__sandbox/shop", json=facts).raise_for_status()

    def shop_requests(self) -> int:
        return int(httpx.get(f"{self.url}/__sandbox/stats").json()["by_call"].get("shop.get", 0))


@contextmanager
def served(tmp_path: Path) -> Iterator[Served]:
    app = create_app(tmp_path / "shop.sqlite", access_token=ENV[TOKEN_ENV])
    record = Served("")

    async def recording(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/openapi/"):
            record.queries.append(scope["query_string"].decode())
        await app(scope, receive, send)

    with serve_in_thread(recording) as url:
        record.url = url
        yield record


def catalog(tmp_path: Path, url: str) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".catalogctl"))
    entry = {"provider": "shoplazza", "url": url, "access_token_env": TOKEN_ENV}
    (target / "catalogctl.yaml").write_text(yaml.safe_dump({"targets": {"http": entry}}), encoding="utf-8")
    return target
