"""Helpers for the Shoplazza sandbox tests: a client for a running shop and the document's examples."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from catalogctl.sandbox.shoplazza import DEFAULT_ACCESS_TOKEN, SHOP_PATH

DOC = Path(__file__).parent / "doc"  # the seed document's examples, transcribed as JSON
HEADERS = {"access-token": DEFAULT_ACCESS_TOKEN, "content-type": "application/json", "accept": "application/json"}


def doc(name: str) -> Any:
    return json.loads((DOC / f"{name}.json").read_text())


@dataclass
class Shoplazza:
    url: str
    http: httpx.Client
    db_path: Path

    def get(self, fields: str | None = None, headers: dict[str, str] | None = None) -> httpx.Response:
        params = {} if fields is None else {"fields": fields}
        return self.http.get(f"{self.url}{SHOP_PATH}", params=params, headers=headers or HEADERS)

    def set_shop(self, **facts: Any) -> httpx.Response:
        return self.http.put(f"{self.url}/__sandbox/shop", json=facts)

    def force(self, status: int) -> httpx.Response:
        return self.http.post(f"{self.url}/__sandbox/answers", json={"status": status})

    def set_faults(self, **config: Any) -> httpx.Response:
        return self.http.post(f"{self.url}/__sandbox/faults", json=config)
