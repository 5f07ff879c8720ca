"""Targets: `DIR/catalogctl.yaml` names the stores a catalog can be planned against.

The file holds only the *names* of the environment variables that carry the secrets; the
secrets are read at use time (`Target.credentials()`), so no model that can be printed or
saved ever holds one. With no file or no `--target`, the target is the embedded sandbox kept
in `DIR/.catalogctl/sandbox.sqlite`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from catalogctl.config.loader import TARGETS_FILE
from catalogctl.config.source import Origin, display_path
from catalogctl.errors import TargetError
from catalogctl.providers.groovekart.credentials import GrooveKartCredentials

EMBEDDED = "embedded"
"""The name of the default target (reserved): the sandbox stored beside the catalog."""
STATE_DIR = ".catalogctl"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=128)]


class ProviderKind(StrEnum):
    GROOVEKART = "groovekart"
    SANDBOX = "sandbox"   # a `catalogctl sandbox serve` instance over HTTP


class TargetConfig(BaseModel):
    """One entry under `targets:`; the contract of issue 5 (more keys may be added)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: ProviderKind
    url: Annotated[str, Field(pattern=r"^https?://[^\s/]+")] | None = None
    api_user: str | None = None
    auth_token_env: EnvName | None = None
    api_key_env: EnvName | None = None
    concurrency: int = Field(8, ge=1, le=64)
    requests_per_second: float | None = Field(None, gt=0)
    prune: bool = False
    max_destructive_share: float = Field(0.25, ge=0, le=1)
    insecure: bool = False
    page_size: int = Field(50, ge=1, le=1000)
    timeout: float = Field(30.0, gt=0)

    @model_validator(mode="after")
    def _complete(self) -> TargetConfig:
        if self.url is None:
            raise ValueError(f"a {self.provider.value} target needs `url`")
        if self.provider is ProviderKind.GROOVEKART:
            missing = [k for k in ("api_user", "auth_token_env", "api_key_env") if getattr(self, k) is None]
            if missing:
                raise ValueError(f"a groovekart target needs {', '.join(f'`{k}`' for k in missing)}")
        elif (self.auth_token_env is None) != (self.api_key_env is None):
            raise ValueError("give both `auth_token_env` and `api_key_env`, or neither (sandbox defaults)")
        return self


class TargetsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    targets: dict[str, TargetConfig] = {}


@dataclass(frozen=True)
class Target:
    """A resolved target: its name, its settings (None: the embedded sandbox), and the catalog dir."""

    name: str
    config: TargetConfig | None
    catalog_dir: Path

    @property
    def embedded(self) -> bool:
        return self.config is None

    @property
    def state_dir(self) -> Path:
        return self.catalog_dir / STATE_DIR

    @property
    def sandbox_db(self) -> Path:
        return self.state_dir / "sandbox.sqlite"

    @property
    def concurrency(self) -> int:
        return self.config.concurrency if self.config else 8

    @property
    def prune(self) -> bool:
        return self.config.prune if self.config else False

    @property
    def max_destructive_share(self) -> float:
        return self.config.max_destructive_share if self.config else 0.25

    def credentials(self, environ: Mapping[str, str] | None = None) -> GrooveKartCredentials | None:
        """Secrets from the named environment variables; None means "the sandbox's defaults"."""
        config = self.config
        if config is None or config.auth_token_env is None or config.api_key_env is None:
            return None
        env = os.environ if environ is None else environ
        values = {}
        for key in ("auth_token_env", "api_key_env"):
            variable = getattr(config, key)
            value = env.get(variable, "")
            if not value:
                raise TargetError(
                    f"target {self.name!r}: environment variable {variable} is not set ({key} in {TARGETS_FILE})",
                    hint=f"export {variable}=... before running catalogctl; the secret itself never goes in a file.",
                )
            values[key] = value
        return GrooveKartCredentials(values["auth_token_env"], values["api_key_env"], config.api_user or "catalogctl")


def load_targets(catalog_dir: Path) -> TargetsFile | None:
    """Parse `catalog_dir/catalogctl.yaml`, or None when there is none; TargetError with file:line."""
    path = catalog_dir / TARGETS_FILE
    if not path.is_file():
        return None
    try:
        document = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except (YAMLError, UnicodeDecodeError, OSError) as exc:
        raise TargetError(f"{display_path(path)}: cannot read it: {exc}") from None
    if document is None:
        return TargetsFile()
    try:
        parsed = TargetsFile.model_validate(_plain(document))
    except ValidationError as exc:
        raise TargetError(_describe(path, document, exc)) from None
    for name in parsed.targets:
        if name == EMBEDDED or not _NAME.match(name):
            where = Origin(path, document).at(("targets", name), key=True)
            why = "is reserved for the embedded sandbox" if name == EMBEDDED else (
                "must be letters, digits, `_`, `.` or `-` (it names the state file)")
            raise TargetError(f"{where}: target name {name!r} {why}")
    return parsed


def resolve_target(catalog_dir: Path, name: str | None) -> Target:
    """The target called `name` in `catalog_dir/catalogctl.yaml`; no name: the embedded sandbox."""
    if name is None or name == EMBEDDED:
        return Target(EMBEDDED, None, catalog_dir)
    targets = load_targets(catalog_dir)
    if targets is None:
        raise TargetError(f"no {TARGETS_FILE} in {display_path(catalog_dir)}, so there is no target {name!r}",
                          hint="Leave out --target to use the embedded sandbox, or add the target to that file.")
    if name not in targets.targets:
        known = ", ".join(sorted(targets.targets)) or "none"
        raise TargetError(f"no target {name!r} in {display_path(catalog_dir / TARGETS_FILE)} (defined: {known})")
    return Target(name, targets.targets[name], catalog_dir)


def target_entry(config: TargetConfig) -> dict[str, Any]:
    """The entry as plain data for writing another catalogctl.yaml (env var names only, defaults left out)."""
    return config.model_dump(mode="json", exclude_defaults=True) | {"provider": config.provider.value}


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, str) else k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _describe(path: Path, document: Any, exc: ValidationError) -> str:
    lines = [f"{display_path(path)} is not a valid targets file:"]
    origin = Origin(path, document if isinstance(document, CommentedMap) else CommentedMap())
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
        where = origin.at(loc, key=error["type"] == "extra_forbidden")
        dotted = ".".join(str(p) for p in loc) or "(top level)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            allowed = TargetConfig.model_fields if len(loc) > 2 else TargetsFile.model_fields
            message = f"unknown key (allowed: {', '.join(allowed)})"
        lines.append(f"  {where}: {dotted}: {message}")
    return "\n".join(lines)
