"""Helpers for the Shoprocket sandbox tests: a client for a running sandbox and the document's examples."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from catalogctl.sandbox.shoprocket import DEFAULT_API_KEY

DOC = Path(__file__).parent / "doc"  # the seed document's examples, transcribed as JSON
AUTH = {"sr_auth": DEFAULT_API_KEY}


def doc(name: str) -> Any:
    return json.loads((DOC / f"{name}.json").read_text())


def doc_store() -> dict[str, str]:
    """The create-store example request of the document, verbatim."""
    return dict(doc("create_store_request")["body"])


def doc_user() -> dict[str, str]:
    """The create-user example request, with a real email in place of the scraped placeholder."""
    example = doc("create_user_request")
    return {**example["body"], "email": example["replay_email"]}


def shape(value: Any) -> Any:
    """Keys and JSON types, recursively: what 'the documented answer's shape' means in these tests."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return type(value).__name__


@dataclass
class Shoprocket:
    url: str
    http: httpx.Client
    db_path: Path

    def post(self, path: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
             **kwargs: Any) -> httpx.Response:
        return self.http.post(f"{self.url}{path}", json=body, headers={**AUTH, **(headers or {})}, **kwargs)

    def create_store(self, **overrides: Any) -> httpx.Response:
        return self.post("/v1/stores", {**doc_store(), **overrides})

    def create_user(self, **overrides: Any) -> httpx.Response:
        return self.post("/v1/user", {**doc_user(), **overrides})

    def stats(self) -> dict[str, Any]:
        return self.http.get(f"{self.url}/__sandbox/stats").json()

    def set_faults(self, **config: Any) -> httpx.Response:
        return self.http.post(f"{self.url}/__sandbox/faults", json=config)

    def force(self, status: int, count: int = 1) -> httpx.Response:
        return self.http.post(f"{self.url}/__sandbox/answers", json={"status": status, "count": count})
