"""What every target in catalogctl.yaml has, whatever its provider; each provider's settings
model extends it with its own keys and a `provider: Literal[...]` tag."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from catalogctl.core.guardrails import IgnorableField, Policies
from catalogctl.errors import TargetError
from catalogctl.state.settings import LocalState, StateSettings, shorthand

EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=128)]
"""The name of an environment variable (`*_env` keys): never the secret itself."""
TARGETS_FILE = "catalogctl.yaml"


class TargetSettings(BaseModel):
    """The keys every target takes (unknown keys are errors with file:line)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    concurrency: int = Field(8, ge=1, le=64)
    requests_per_second: float | None = Field(None, gt=0)
    prune: bool = False
    max_destructive_share: float = Field(0.25, ge=0, le=1)
    insecure: bool = False
    timeout: float = Field(30.0, gt=0)
    rate_limit_deadline: float = Field(120.0, gt=0)   # seconds of nothing but HTTP 429 before giving up
    state: StateSettings = LocalState()   # where state and lock live: `local` (default), `git`, ...
    ignore_changes: list[IgnorableField] = []  # for every product: another tool owns these fields
    policies: Policies = Policies()

    _state_shorthand = field_validator("state", mode="before")(lambda value: shorthand(value))


def env_secret(environ: Mapping[str, str], variable: str, key: str, target: str) -> str:
    """The value of `variable` (named by `key` in catalogctl.yaml); TargetError when unset."""
    value = environ.get(variable, "")
    if not value:
        raise TargetError(
            f"target {target!r}: environment variable {variable} is not set ({key} in {TARGETS_FILE})",
            hint=f"export {variable}=... before running catalogctl; the secret itself never goes in a file.",
        )
    return value
