"""The credentials a sandbox store accepts (one vendor app per store, as in the real back office)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Credentials:
    """auth_token + api_key authenticate; api_user names the vendor app. All three must match."""

    auth_token: str
    api_key: str
    api_user: str

    def __repr__(self) -> str:  # secrets never reach logs or tracebacks
        return f"Credentials(auth_token='***', api_key='***', api_user={self.api_user!r})"


DEFAULT_CREDENTIALS = Credentials("gk-sandbox", "sandbox-api-key", "catalogctl")
