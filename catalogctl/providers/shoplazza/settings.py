"""A Shoplazza target in catalogctl.yaml: `provider: shoplazza`, `url` (the shop's domain), `access_token_env`.

Without `url` the target is the embedded Shoplazza sandbox beside the catalog; a loopback `url`
without `access_token_env` is a `catalogctl sandbox serve --api shoplazza` with its default token.
Shoplazza allows 2 requests per second per app and store: that is the default pace and the most allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import Field, model_validator

from catalogctl.core.settings import EnvName, TargetSettings, env_secret
from catalogctl.providers.shoplazza.credentials import ShoplazzaCredentials, sandbox_credentials
from catalogctl.providers.shoprocket.settings import _loopback

RATE_LIMIT = 2.0


class ShoplazzaSettings(TargetSettings):
    """One shop; its access token (scope read_shop) is named by `access_token_env`."""

    provider: Literal["shoplazza"]
    url: Annotated[str, Field(pattern=r"^https?://[^\s/]+")] | None = None
    access_token_env: EnvName | None = None
    requests_per_second: float | None = Field(RATE_LIMIT, gt=0, le=RATE_LIMIT)

    @model_validator(mode="after")
    def _complete(self) -> ShoplazzaSettings:
        if self.url is not None and self.access_token_env is None and not _loopback(self.url):
            raise ValueError("a shoplazza target needs `access_token_env` (the variable holding the access token)")
        return self

    def credentials(self, environ: Mapping[str, str], target: str) -> ShoplazzaCredentials:
        if self.access_token_env is None:
            return sandbox_credentials()
        return ShoplazzaCredentials(env_secret(environ, self.access_token_env, "access_token_env", target))
