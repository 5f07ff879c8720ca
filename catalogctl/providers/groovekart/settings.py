"""A GrooveKart target in catalogctl.yaml: `provider: groovekart` (a real store) or `provider:
sandbox` (a `catalogctl sandbox serve` instance, whose default credentials need no env vars)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import Field, model_validator

from catalogctl.core.settings import EnvName, TargetSettings, env_secret
from catalogctl.providers.groovekart.credentials import GrooveKartCredentials


class GrooveKartSettings(TargetSettings):
    """One GrooveKart target; the secrets are named by `auth_token_env` and `api_key_env`."""

    provider: Literal["groovekart", "sandbox"]
    url: Annotated[str, Field(pattern=r"^https?://[^\s/]+")] | None = None
    api_user: str | None = None
    auth_token_env: EnvName | None = None
    api_key_env: EnvName | None = None
    page_size: int = Field(50, ge=1, le=1000)

    @model_validator(mode="after")
    def _complete(self) -> GrooveKartSettings:
        if self.url is None:
            raise ValueError(f"a {self.provider} target needs `url`")
        if self.provider == "groovekart":
            missing = [k for k in ("api_user", "auth_token_env", "api_key_env") if getattr(self, k) is None]
            if missing:
                raise ValueError(f"a groovekart target needs {', '.join(f'`{k}`' for k in missing)}")
        elif (self.auth_token_env is None) != (self.api_key_env is None):
            raise ValueError("give both `auth_token_env` and `api_key_env`, or neither (sandbox defaults)")
        return self

    def credentials(self, environ: Mapping[str, str], target: str) -> GrooveKartCredentials | None:
        """Secrets from the named environment variables; None means "the sandbox's defaults"."""
        if self.auth_token_env is None or self.api_key_env is None:
            return None
        token = env_secret(environ, self.auth_token_env, "auth_token_env", target)
        key = env_secret(environ, self.api_key_env, "api_key_env", target)
        return GrooveKartCredentials(token, key, self.api_user or "catalogctl")
