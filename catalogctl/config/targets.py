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
from pathlib import Path
from typing import Annotated, Any, Union, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Tag, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from catalogctl.config.loader import TARGETS_FILE
from catalogctl.config.source import Origin, Position, display_path
from catalogctl.core.guardrails import Policies
from catalogctl.core.settings import TargetSettings
from catalogctl.errors import TargetError
from catalogctl.providers.base import ProviderSpec
from catalogctl.providers.registry import DEFAULT, get_provider, providers

EMBEDDED = "embedded"
"""The name of the default target (reserved): the sandbox stored beside the catalog."""
STATE_DIR = ".catalogctl"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def _settings_union() -> Any:
    """Every provider's settings model, tagged by its `provider:` values (aliases included)."""
    members = tuple(Annotated[spec.settings, Tag(name)] for name, spec in providers().items())
    if len(members) == 1:
        return members[0]
    known = ", ".join(sorted(providers()))
    return Annotated[Union[members], Discriminator(  # noqa: UP007 - a runtime-built union
        _provider_tag, custom_error_type="unknown_provider",
        custom_error_message=f"`provider` must be one of: {known}")]


def _provider_tag(value: Any) -> str | None:
    raw = value.get("provider") if isinstance(value, dict) else getattr(value, "provider", None)
    return raw if isinstance(raw, str) and raw in providers() else None


TargetConfig = _settings_union()
"""One entry under `targets:`: the settings model of the provider it names."""


class TargetsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    default_target: str | None = None   # what commands use without --target
    targets: dict[str, TargetConfig] = {}  # type: ignore[valid-type]


@dataclass(frozen=True)
class Target:
    """A resolved target: its name, its settings (None: the embedded sandbox), and the catalog dir."""

    name: str
    config: TargetSettings | None
    catalog_dir: Path
    # --concurrency: the embedded sandbox has no settings to carry it, so the target holds it
    concurrency_override: int | None = None

    @property
    def embedded(self) -> bool:
        return self.config is None

    @property
    def provider(self) -> ProviderSpec:
        """The provider this target names (the default provider for the embedded sandbox)."""
        return get_provider(DEFAULT if self.config is None else self.config.provider)  # type: ignore[attr-defined]

    @property
    def state_dir(self) -> Path:
        return self.catalog_dir / STATE_DIR

    @property
    def sandbox_db(self) -> Path:
        return self.state_dir / "sandbox.sqlite"

    @property
    def concurrency(self) -> int:
        if self.concurrency_override is not None:
            return self.concurrency_override
        return self.config.concurrency if self.config else 8

    @property
    def prune(self) -> bool:
        return self.config.prune if self.config else False

    @property
    def max_destructive_share(self) -> float:
        return self.config.max_destructive_share if self.config else 0.25

    @property
    def ignore_changes(self) -> tuple[str, ...]:
        return tuple(self.config.ignore_changes) if self.config else ()

    @property
    def policies(self) -> Policies:
        return self.config.policies if self.config else Policies()

    def credentials(self, environ: Mapping[str, str] | None = None) -> Any:
        """Secrets from the named environment variables; None means "the sandbox's defaults"."""
        if self.config is None:
            return None
        return self.config.credentials(os.environ if environ is None else environ, self.name)  # type: ignore[attr-defined]


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
    default = parsed.default_target
    if default is not None and default != EMBEDDED and default not in parsed.targets:
        where = Origin(path, document).at(("default_target",))
        known = ", ".join(sorted(parsed.targets)) or "none"
        raise TargetError(f"{where}: default_target {default!r} is not one of the targets (defined: {known})")
    for name in parsed.targets:
        if name == EMBEDDED or not _NAME.match(name):
            where = Origin(path, document).at(("targets", name), key=True)
            why = "is reserved for the embedded sandbox" if name == EMBEDDED else (
                "must be letters, digits, `_`, `.` or `-` (it names the state file)")
            raise TargetError(f"{where}: target name {name!r} {why}")
    return parsed


def resolve_target(catalog_dir: Path, name: str | None) -> Target:
    """The target called `name` in `catalog_dir/catalogctl.yaml`; no name: its `default_target`, or the
    embedded sandbox when the file defines no targets (targets but no default: an error listing them)."""
    if name is None:
        name = default_target_name(catalog_dir)
    if name == EMBEDDED:
        return Target(EMBEDDED, None, catalog_dir)
    targets = load_targets(catalog_dir)
    if targets is None:
        raise TargetError(f"no {TARGETS_FILE} in {display_path(catalog_dir)}, so there is no target {name!r}",
                          hint="Leave out --target to use the embedded sandbox, or add the target to that file.")
    if name not in targets.targets:
        known = ", ".join(sorted(targets.targets)) or "none"
        raise TargetError(f"no target {name!r} in {display_path(catalog_dir / TARGETS_FILE)} (defined: {known})")
    return Target(name, targets.targets[name], catalog_dir)


def default_target_name(catalog_dir: Path) -> str:
    """The target to use without --target: `default_target`, else `embedded` when no targets are defined."""
    targets = load_targets(catalog_dir)
    if targets is None or (not targets.targets and targets.default_target is None):
        return EMBEDDED
    if targets.default_target is not None:
        return targets.default_target
    path = display_path(catalog_dir / TARGETS_FILE)
    raise TargetError(f"{path} defines targets ({', '.join(sorted(targets.targets))}) but no default_target, "
                      "and no --target was given",
                      hint="Pass --target NAME, or add `default_target: NAME` to that file "
                           "(--target embedded plans against the embedded sandbox).")


def target_entry(config: TargetSettings) -> dict[str, Any]:
    """The entry as plain data for writing another catalogctl.yaml (env var names only, defaults left out)."""
    return config.model_dump(mode="json", exclude_defaults=True) | {"provider": config.provider}  # type: ignore[attr-defined]


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, str) else k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _allowed_keys(tag: str | None, loc: tuple[str | int, ...]) -> tuple[str, ...]:
    """The keys the mapping holding an unknown key `loc` takes: a target's settings, or a section of
    them (`policies:`, `state:`), so a misspelt policy lists the policies, not the target's keys."""
    if tag is None:
        return tuple(TargetsFile.model_fields)
    model: type[BaseModel] = get_provider(tag).settings
    for key in loc[2:-1]:
        field = model.model_fields.get(key) if isinstance(key, str) else None
        inner = _model_of(field.annotation) if field is not None else None
        if inner is None:
            break
        model = inner
    return tuple(model.model_fields)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds (`Policies`, `StateSettings | None`), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    models = [a for a in get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
    return models[0] if len(models) == 1 else None


def _describe(path: Path, document: Any, exc: ValidationError) -> str:
    found: list[tuple[Position, str]] = []
    origin = Origin(path, document if isinstance(document, CommentedMap) else CommentedMap())
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
        tag = loc[2] if len(loc) > 2 and loc[:1] == ("targets",) and loc[2] in providers() else None
        if tag is not None:  # the union's tag is not a key of the file
            loc = loc[:2] + loc[3:]
        where = origin.at(loc, key=error["type"] == "extra_forbidden")
        dotted = ".".join(str(p) for p in loc) or "(top level)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = f"unknown key (allowed: {', '.join(_allowed_keys(tag, loc))})"
        elif error["type"] == "model_type" and loc:
            message = f"must be a mapping of keys to values (allowed: {', '.join(_allowed_keys(tag, (*loc, '')))})"
        found.append((where, f"  {where}: {dotted}: {message}"))
    found.sort(key=lambda item: (item[0].line, item[0].column))  # in file order, as a reader goes
    return "\n".join([f"{display_path(path)} is not a valid targets file:", *(line for _, line in found)])
