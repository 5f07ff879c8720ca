"""Shoprocket's credential: one API key, from the environment variable the target names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShoprocketCredentials:
    """The key sent as `sr_auth`. Never printed: the repr masks it."""

    api_key: str

    def __repr__(self) -> str:
        return "ShoprocketCredentials(api_key='***')"


def sandbox_credentials() -> ShoprocketCredentials:
    """The key every Shoprocket sandbox accepts unless told otherwise."""
    from catalogctl.sandbox.shoprocket import DEFAULT_API_KEY

    return ShoprocketCredentials(DEFAULT_API_KEY)
