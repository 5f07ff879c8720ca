"""The three values every GrooveKart call carries; the two secrets never print."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, repr=False)
class GrooveKartCredentials:
    """auth_token and api_key authenticate; api_user names the vendor app."""

    auth_token: str
    api_key: str
    api_user: str

    def __repr__(self) -> str:
        return f"GrooveKartCredentials(auth_token='***', api_key='***', api_user={self.api_user!r})"

    __str__ = __repr__

    @property
    def secrets(self) -> tuple[str, str]:
        return (self.auth_token, self.api_key)

    def body(self) -> dict[str, str]:
        """The auth fields every request body starts with."""
        return {"auth_token": self.auth_token, "api_key": self.api_key, "api_user": self.api_user}
