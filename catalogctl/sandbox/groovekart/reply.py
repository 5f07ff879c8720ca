"""What an endpoint answers: a status, a JSON payload, and whether its writes may be committed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Encoded:
    """A payload already encoded as JSON (big lists are encoded batch by batch to bound memory)."""

    data: bytes


@dataclass(frozen=True)
class Reply:
    payload: Any
    status_code: int = 200
    commit: bool = True
    reason: str = ""  # why the sandbox refused (the X-Sandbox-Refused header; the real store says nothing)


def ok(payload: Any) -> Reply:
    return Reply(payload)


def fail(payload: Any, status_code: int = 200, reason: str = "") -> Reply:
    """A business failure: the store answers HTTP 200 with an error body and writes nothing."""
    return Reply(payload, status_code, commit=False, reason=reason)


def error(message: str) -> Reply:
    """The most common failure shape: {"error": "..."}."""
    return fail({"error": message})


def status_error(message: str) -> Reply:
    """The variants/webhooks failure shape: {"status": "error", "message": "..."}."""
    return fail({"status": "error", "message": message})
