"""The `state:` setting of a target in catalogctl.yaml: which backend keeps its state and lock.

    state: local                       # the default: DIR/.catalogctl/state/<target>.json
    state: git                         # branch catalogctl-state of the remote `origin`
    state: {backend: git, remote: origin, branch: catalogctl-state}

A tagged union on `backend`, so an object store (`backend: s3`, bucket, key prefix) is one more
model and one more case in `open_backend`, without touching the planner or the applier.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

_REF = r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$"


class LocalState(BaseModel):
    """State and lock in files beside the catalog: one machine applies (a laptop, one CI runner)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    backend: Literal["local"] = "local"


class GitState(BaseModel):
    """State and lock on a branch of the catalog's own git remote: every machine that applies shares them."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    backend: Literal["git"] = "git"
    remote: Annotated[str, Field(min_length=1, max_length=500)] = "origin"
    branch: Annotated[str, Field(pattern=_REF)] = "catalogctl-state"

    @model_validator(mode="after")
    def _not_a_flag(self) -> GitState:
        if self.remote.startswith("-"):
            raise ValueError("`remote` is a remote name or URL, not an option")
        if ".." in self.branch or "//" in self.branch or self.branch.endswith((".", "/", ".lock")):
            raise ValueError(f"`branch` {self.branch!r} is not a valid git branch name")
        return self


StateSettings = Annotated[LocalState | GitState, Field(discriminator="backend")]


def shorthand(value: Any) -> Any:
    """`state: git` means `state: {backend: git}` (a plain string names the backend)."""
    return {"backend": value} if isinstance(value, str) else value
