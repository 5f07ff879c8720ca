"""Shoplazza's credential: an access token (scope read_shop), from the environment variable the target names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShoplazzaCredentials:
    """The token sent as `access-token`. Never printed: the repr masks it."""

    access_token: str

    def __repr__(self) -> str:
        return "ShoplazzaCredentials(access_token='***')"


def sandbox_credentials() -> ShoplazzaCredentials:
    """The token every Shoplazza sandbox accepts unless told otherwise."""
    from catalogctl.sandbox.shoplazza import DEFAULT_ACCESS_TOKEN

    return ShoplazzaCredentials(DEFAULT_ACCESS_TOKEN)
