"""`catalogctl fmt`: catalog files in the canonical layout `import` writes, comments kept.

The layout is the importer's round-trip writer (catalogctl.importer.emit.make_yaml: 2-space
mappings, indented lists, no wrapping, quotes as written). A rewrite is only accepted when the
file still loads to exactly the same data, so fmt can never change what a catalog means.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from catalogctl.config.loader import catalog_files
from catalogctl.config.source import display_path
from catalogctl.errors import ConfigError
from catalogctl.importer.emit import dump, make_yaml


@dataclass(frozen=True)
class Formatted:
    path: Path
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def format_text(text: str, where: str) -> str:
    """`text` in the canonical layout; ConfigError for a file that is not valid YAML."""
    try:
        document = make_yaml().load(text)
    except YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML, so it cannot be formatted: {exc}",
                          hint="`catalogctl validate` shows where; fix it, then run fmt again.") from None
    if document is None:
        return text
    after = dump(document, None)
    if _meaning(after) != _meaning(text):
        raise ConfigError(f"{where}: formatting would change what the file means; it was left as written",
                          hint="Please report this with the file: fmt must only change the layout.")
    return after


def format_catalog(root: Path) -> Iterator[Formatted]:
    """Every catalog file under `root` (as `validate` finds them), before and after formatting."""
    for path in catalog_files(root):
        try:
            before = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{display_path(path)}: cannot read it: {exc}") from None
        yield Formatted(path, before, format_text(before, display_path(path)))


def _meaning(text: str) -> Any:
    """The data a loader sees (no comments, no styles), to compare before and after."""
    return YAML(typ="safe", pure=True).load(text)
