"""A Shoprocket target in catalogctl.yaml: `provider: shoprocket`, `url`, `api_key_env`.

Without `url` the target is the embedded Shoprocket sandbox beside the catalog; a loopback `url`
without `api_key_env` is a `catalogctl sandbox serve --api shoprocket` with its default key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import Field, model_validator

from catalogctl.core.settings import EnvName, TargetSettings, env_secret
from catalogctl.http.url import is_loopback
from catalogctl.providers.shoprocket.credentials import ShoprocketCredentials, sandbox_credentials


class ShoprocketSettings(TargetSettings):
    """One Shoprocket account; the API key is named by `api_key_env` (sent as the sr_auth header)."""

    provider: Literal["shoprocket"]
    url: Annotated[str, Field(pattern=r"^https?://[^\s/]+")] | None = None
    api_key_env: EnvName | None = None

    @model_validator(mode="after")
    def _complete(self) -> ShoprocketSettings:
        if self.url is not None and self.api_key_env is None and not _loopback(self.url):
            raise ValueError("a shoprocket target needs `api_key_env` (the variable holding the API key)")
        return self

    def credentials(self, environ: Mapping[str, str], target: str) -> ShoprocketCredentials:
        if self.api_key_env is None:
            return sandbox_credentials()
        return ShoprocketCredentials(env_secret(environ, self.api_key_env, "api_key_env", target))


def _loopback(url: str) -> bool:
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    return is_loopback(host)
