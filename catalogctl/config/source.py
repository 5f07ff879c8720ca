"""Where things come from: file:line:column positions of nodes in the loaded YAML.

The loader keeps a compact position tree (`yaml_nodes.MapSpot`/`SeqSpot`) beside the plain
Python data that pydantic validates; an `Origin` points at one item's spot so that any
path inside the item (`("variants", 2, "sku")`) maps back to a position in its file.
ruamel round-trip nodes (CommentedMap, as the targets file is read) are walked the same way.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from catalogctl.config.yaml_nodes import MapSpot, PointSpot, SeqSpot

PathItem = str | int
NodePath = tuple[PathItem, ...]


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based place in a file, printed the way compilers do: `file:line:column`."""

    file: Path
    line: int
    column: int

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}:{self.column}"


def display_path(path: Path) -> str:
    """The path relative to the current directory when it is below it, else as given."""
    return _display_path(path, os.getcwd())


@functools.lru_cache(maxsize=1024)
def _display_path(path: Path, cwd: str) -> str:
    # asked once per problem printed (10,000 notes of one file each name it); the answer depends on cwd
    try:
        relative = os.path.relpath(path, cwd)
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path) if relative.startswith("..") else relative


@dataclass(frozen=True, eq=False)
class Origin:
    """One item of a section (a product, a category...) and the file it came from."""

    file: Path
    node: Any  # the item's spot (MapSpot for a well-formed item), or a ruamel CommentedMap

    @property
    def position(self) -> Position:
        return self.at(())

    def at(self, path: Sequence[PathItem], *, key: bool = False) -> Position:
        """Position of `path` inside the item; `key=True` points at the last mapping key itself.

        Path elements that are not in the data (pydantic union tags) are skipped; when the path
        leaves the data, the deepest node reached is used.
        """
        node = self.node
        line, column = _node_start(node)
        for index, element in enumerate(path):
            last = index == len(path) - 1
            found = _child_position(node, element, key=key and last)
            if found is None:
                continue
            line, column, node = found
        return Position(self.file, line + 1, column + 1)


def _node_start(node: Any) -> tuple[int, int]:
    if isinstance(node, _SPOTS):
        return (node.line, node.column)
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return (0, 0)
    return (lc.line, lc.col)


# A tuple, made once: `MapSpot | SeqSpot | PointSpot` written in the call built a union per call (0.14 of
# _node_start's 0.2 us; a position is asked for each note of a large catalog, 10,000 of them).
_SPOTS = (MapSpot, SeqSpot, PointSpot)


def _child_position(node: Any, element: PathItem, *, key: bool) -> tuple[int, int, Any] | None:
    if isinstance(node, MapSpot):
        entry = node.entries.get(element)
        if entry is None:
            return None
        key_line, key_column, line, column, child = entry
        return (key_line, key_column, child) if key else (line, column, child)
    if isinstance(node, SeqSpot):
        if not isinstance(element, int) or not 0 <= element < len(node.items):
            return None
        return node.items[element]
    if isinstance(node, CommentedMap) and isinstance(element, str | int) and element in node:
        child = node[element]
        spot = _mapping_spot(node, element, key=key)
        if spot is None:
            return None
        if not key and isinstance(child, CommentedMap | CommentedSeq):
            start = _node_start(child)
            if start != (0, 0):
                spot = start
        return (*spot, child)
    if isinstance(node, CommentedSeq) and isinstance(element, int) and 0 <= element < len(node):
        child = node[element]
        try:
            line, column = node.lc.item(element)
        except (KeyError, TypeError):
            line, column = _node_start(node)
        if isinstance(child, CommentedMap | CommentedSeq):
            line, column = _node_start(child)
        return (line, column, child)
    return None


def _mapping_spot(node: CommentedMap, element: PathItem, *, key: bool) -> tuple[int, int] | None:
    """Key or value position, looking into `<<` merged mappings for keys that came from them."""
    try:
        return node.lc.key(element) if key else node.lc.value(element)
    except KeyError:
        for merged in getattr(node, "merge", []):
            merged = merged[1] if isinstance(merged, tuple) else merged  # older ruamel: (index, map)
            if isinstance(merged, CommentedMap) and element in merged:
                return _mapping_spot(merged, element, key=key)
        return _node_start(node)
