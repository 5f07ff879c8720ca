"""Read a catalog directory: find the YAML files, parse them with positions, merge the sections.

libyaml (through PyYAML) parses and composes each file in C; `yaml_nodes.Builder` then makes the
plain data and a compact position tree in one pass, with the YAML 1.2 meaning ruamel's round-trip
loader gave; numbers and dates keep their source text (`scalars.ScalarText`), so a sku `0123` stays
`0123` and `27.99` never passes through float.
A file libyaml refuses is re-read with ruamel only to report the error in ruamel's words, as before.
Every file-level fault becomes a Problem (the loader goes on with the other files).
"""

from __future__ import annotations

import difflib
import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from catalogctl.config.problems import Problem, error, warning
from catalogctl.config.scalars import ScalarText, scalar
from catalogctl.config.source import Origin, Position
from catalogctl.config.walk import TARGETS_FILE as TARGETS_FILE  # importers of the loader use it
from catalogctl.config.walk import file_kind, walk_catalog
from catalogctl.config.yaml_events import read_sections
from catalogctl.config.yaml_nodes import (
    MAX_DEPTH,
    Builder,
    PointSpot,
    TooDeep,
    TooLarge,
    Unsupported,
    check_depth,
    check_duplicates,
    compose,
    no_gc,
)

LIST_SECTIONS = ("categories", "variant_groups", "products", "webhooks", "staff", "templates")
SECTIONS = (*LIST_SECTIONS, "store")
EXTENSION_PREFIX = "x-"  # top-level keys ignored by the catalog: somewhere to define &anchors
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 1_000_000  # after alias expansion: stops "billion laughs" documents


@dataclass(frozen=True)
class RawItem:
    """One item of a section as plain Python data (dict/list/str/ScalarText/bool/None) plus its origin."""

    data: Any
    origin: Origin


@dataclass
class RawCatalog:
    files: list[Path] = field(default_factory=list)
    sections: dict[str, list[RawItem]] = field(default_factory=lambda: {name: [] for name in SECTIONS})
    problems: list[Problem] = field(default_factory=list)


def catalog_files(root: Path) -> Iterator[Path]:
    """Every readable *.yaml / *.yml under root, sorted, skipping catalogctl.yaml and hidden directories."""
    yield from walk_catalog(root).files


def load_raw(root: Path) -> RawCatalog:
    """Parse every catalog file under `root` and merge their sections (each item keeps its origin)."""
    raw = RawCatalog()
    if not root.exists() and not root.is_symlink():
        raw.problems.append(error(None, f"{root}: no such directory", "give the directory that holds the catalog"))
        return raw
    if root.is_dir():
        walk = walk_catalog(root)
        files = walk.files
        raw.problems += walk.problems
    else:
        files = [root]  # one file named on the command line: _read_text refuses what is not a regular file
    if not files and not raw.problems:  # else the problems say why nothing could be read
        raw.problems.append(error(
            None, f"{root}: no catalog files (*.yaml or *.yml) found",
            "a catalog is a directory of YAML files with sections such as `products:`; see examples/",
        ))
        return raw
    with no_gc():  # once for all the files, not once per file (10,000 one-product files)
        for path in files:
            raw.files.append(path)
            text = _read_text(path, raw.problems)
            if text is not None:
                _load_text(path, text, raw)
    return raw


def _read_bytes(path: Path) -> tuple[os.stat_result, bytes]:
    """The file's bytes (none if it is too big or not a regular file), read without ever blocking on a FIFO."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # opening a FIFO must not wait for a writer
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)  # the file actually opened, whatever the path pointed to when walked
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return status, b""
        # What read(MAX_FILE_BYTES + 1) gives, without its 5 MB buffer per file (allocating it was three
        # quarters of reading 10,000 small files): the size it has, then the rest should it have grown.
        data = file.read(status.st_size + 1)
        if len(data) > status.st_size:
            data += file.read(MAX_FILE_BYTES + 1 - len(data))
        return status, data


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    start = Position(path, 1, 1)
    try:
        status, data = _read_bytes(path)
    except OSError as exc:
        broken = exc.errno == errno.ENOENT and path.is_symlink()
        problems.append(error(start, "broken symlink: it points to a file that does not exist" if broken else
                              f"cannot read the file: {exc.strerror or exc}", "check that it exists and is readable"))
        return None
    if not stat.S_ISREG(status.st_mode):
        problems.append(error(start, f"not a regular file ({file_kind(status.st_mode)}); it was not read",
                              "a catalog file is a YAML text file"))
        return None
    size = max(status.st_size, len(data))
    if size > MAX_FILE_BYTES:
        problems.append(error(
            start, f"file is {size / 1024 / 1024:.1f} MB, over the {MAX_FILE_BYTES // 1024 // 1024} MB limit "
            "for one catalog file; it was not read",
            "split the catalog into several files (one product per file works well)",
        ))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(error(
            _at_offset(path, data[:exc.start].decode("utf-8", "replace")),
            f"not a UTF-8 text file (byte {exc.start}, 0x{data[exc.start]:02x}, cannot be decoded); is it really YAML?",
            "save the file as UTF-8, or move other files out of the catalog directory",
        ))
        return None


def _at_offset(path: Path, before: str) -> Position:
    """The line:column just after `before` (the file's text up to a bad character)."""
    line = before.count("\n") + 1
    return Position(path, line, len(before) - (before.rfind("\n") + 1) + 1)


@dataclass
class _FileResult:
    """What one file adds, kept aside until the whole file is known to be free of duplicate keys."""

    entries: list[Problem | tuple[str, RawItem, Position]] = field(default_factory=list)


def _load_text(path: Path, text: str, raw: RawCatalog) -> None:
    sections = read_sections(text, SECTIONS, MAX_NODES)  # the common file, straight from libyaml's events
    if sections is None:
        _load_nodes(path, text, raw)
        return
    where, at = Position(path, 1, 1), (-1, -1)
    for name, data, spot, line, column in sections.items:
        if (line, column) != at:  # the section's key: one Position for all its items
            where, at = Position(path, line + 1, column + 1), (line, column)
        _add(name, RawItem(data, Origin(path, spot)), where, raw)


def _load_nodes(path: Path, text: str, raw: RawCatalog) -> None:
    """Any file, through libyaml's node graph: the reference `read_sections` matches, and every problem's wording."""
    builder = Builder(MAX_NODES)
    result = _FileResult()
    try:
        try:
            root = compose(text)
        except (yaml.YAMLError, RecursionError):
            check_depth(text)  # parsers fail on deep nesting each in their own words: say it in ours
            raise
        if root is None:  # an empty file (or only comments) contributes nothing
            if not text.strip():  # comments say it is meant; an empty file may be a write that was cut short
                raw.problems.append(warning(Position(path, 1, 1), "the file is empty: it adds nothing to the catalog",
                                            "remove it, or write its products back (was a save or import cut short?)"))
            return
        _build(path, root, builder, result)
    except TooDeep as exc:
        raw.problems.append(_too_deep(path, exc))
        return
    except (yaml.YAMLError, Unsupported, ValueError, YAMLError, RecursionError) as exc:  # or ruamel refused a scalar
        raw.problems.append(_refused(path, text, exc))
        return
    if builder.duplicates:
        raw.problems += [_duplicate(Position(path, line + 1, column + 1), key)
                         for (line, column), key in sorted(builder.duplicates.items())]
        return
    for entry in result.entries:
        if isinstance(entry, Problem):
            raw.problems.append(entry)
        else:
            _add(*entry, raw)


def _build(path: Path, root: Node, builder: Builder, result: _FileResult) -> None:
    start = Position(path, 1, 1)
    if root.__class__ is not MappingNode:
        check_duplicates(root, builder)  # the file's own top level is depth 1, as in check_depth
        if root.__class__ is ScalarNode and scalar(root) is None:
            return  # `~` or `null` alone: as empty as an empty file
        result.entries.append(error(
            start, f"the file holds a {_node_kind(root)}, but a catalog file is a mapping of sections",
            f"start the file with a section such as `products:`; sections are {', '.join(SECTIONS)}",
        ))
        return
    try:
        _build_sections(path, root, builder, result)
    except TooLarge:
        result.entries.append(error(
            start, f"the file expands to over {MAX_NODES:,} values (through anchors and aliases); it was not read",
            "use fewer nested aliases, or split the file",
        ))


def _build_sections(path: Path, root: MappingNode, builder: Builder, result: _FileResult) -> None:
    names: set[Any] = set()
    for key_node, value_node in root.value:
        if key_node.__class__ is not ScalarNode:
            raise Unsupported("a mapping or list used as a section name")
        name = scalar(key_node)
        where = Position(path, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if name in names:
            builder.duplicates[(key_node.start_mark.line, key_node.start_mark.column)] = name
            continue
        names.add(name)
        walked = value_node.__class__ is (MappingNode if name == "store" else SequenceNode)
        if name not in SECTIONS or not walked:  # the builder checks what it walks; this checks the rest
            check_duplicates(value_node, builder, depth=1)
        if isinstance(name, str) and name.startswith(EXTENSION_PREFIX):
            continue  # a place to keep anchors, as in docker-compose files
        if name not in SECTIONS:
            guess = difflib.get_close_matches(str(name), SECTIONS, n=1)
            hint = f"did you mean {guess[0]!r}?" if guess else (
                f"sections are {', '.join(SECTIONS)}; keys starting with {EXTENSION_PREFIX} are ignored (for anchors)"
            )
            result.entries.append(error(where, f"unknown section {name!r}", hint))
            continue
        if value_node.__class__ is ScalarNode and scalar(value_node) is None:
            result.entries.append(warning(where, f"section {name} is empty (null): it adds nothing to the catalog",
                                          f"list items under `{name}:` or remove the key"))
            continue
        if name == "store":
            _build_store(path, value_node, where, builder, result)
        elif value_node.__class__ is not SequenceNode:
            result.entries.append(error(
                where, f"{name} must be a list (items start with `- `), not a {_node_kind(value_node)}",
                f"write `{name}:` followed by indented `- ...` items",
            ))
        else:
            for child in value_node.value:
                builder.depth = 2  # inside the file's mapping and the section's list
                data, spot = builder.value(child)
                node = spot or PointSpot(child.start_mark.line, child.start_mark.column)
                result.entries.append((name, RawItem(data, Origin(path, node)), where))


def _build_store(path: Path, node: Node, where: Position, builder: Builder, result: _FileResult) -> None:
    if node.__class__ is not MappingNode:
        result.entries.append(error(where, f"store must be a mapping of facts, not a {_node_kind(node)}",
                                    "e.g. `store: {currency: USD}`"))
        return
    builder.depth = 1  # inside the file's mapping
    data, spot = builder.value(node)
    result.entries.append(("store", RawItem(data, Origin(path, spot)), where))


def _add(name: str, item: RawItem, where: Position, raw: RawCatalog) -> None:
    if name != "store":
        raw.sections[name].append(item)
    elif raw.sections["store"]:
        first = raw.sections["store"][0].origin.position
        raw.problems.append(error(where, "store is defined twice", f"it is first defined at {first}"))
    else:
        raw.sections["store"].append(item)


def _too_deep(path: Path, exc: TooDeep) -> Problem:
    return error(Position(path, exc.line + 1, exc.column + 1),
                 f"lists or mappings nested more than {MAX_DEPTH} levels deep here; the file was not read",
                 "a catalog needs a few levels; look for a run of [ or { brackets")


def _duplicate(position: Position, key: Any) -> Problem:
    return error(position, f"duplicate key {str(key)!r}",
                 "each key may appear once in a mapping; remove or rename one of them")


def _refused(path: Path, text: str, exc: Exception) -> Problem:
    """A file the fast path refused: ruamel (the reference parser) re-reads it to word the error as before."""
    start = Position(path, 1, 1)
    try:
        YAML(typ="rt").load(text)
    except MarkedYAMLError as ruamel_error:
        return _syntax_problem(path, ruamel_error)
    except ReaderError as ruamel_error:  # a character YAML does not allow (NUL, other control characters)
        code = ruamel_error.character if isinstance(ruamel_error.character, int) else 0
        return error(_at_offset(path, text[:ruamel_error.position]),
                     f"the non-printable character #x{code:04x} is not allowed in a YAML file",
                     "remove it; to keep it in a value, write it escaped in a double-quoted string (\"\\x00\")")
    except (YAMLError, ValueError, RecursionError) as ruamel_error:
        return error(start, f"not valid YAML: {ruamel_error}", "check that the file is YAML text")
    if isinstance(exc, yaml.MarkedYAMLError):  # libyaml is stricter here than ruamel
        return _syntax_problem(path, exc)
    return error(start, f"not valid YAML: {exc}", "check that the file is YAML text")


def _syntax_problem(path: Path, exc: Any) -> Problem:
    """A marked error from ruamel (or, rarely, PyYAML: same attributes) as a positioned Problem."""
    mark = exc.problem_mark or exc.context_mark
    position = Position(path, mark.line + 1, mark.column + 1) if mark else Position(path, 1, 1)
    what = " ".join(part for part in (exc.context, exc.problem) if part)
    if "duplicate key" in what or "found duplicate key" in str(exc):
        key = _duplicate_key(exc)
        return error(position, f"duplicate key {key!r}" if key else "duplicate key in a mapping",
                     "each key may appear once in a mapping; remove or rename one of them")
    message = exc.problem or str(exc)
    context = exc.context_mark
    if exc.context and context is not None and context is not mark:
        message += f" {exc.context} that starts at line {context.line + 1}, column {context.column + 1}"
    return error(position, f"YAML syntax error: {message}",
                 "check the indentation and quoting here and on the lines before")


def _duplicate_key(exc: Any) -> str | None:
    problem = exc.problem or ""
    if '"' in problem:
        return problem.split('"')[1]
    return None


def _node_kind(node: Node) -> str:
    if node.__class__ is MappingNode:
        return "mapping"
    return "list" if node.__class__ is SequenceNode else _kind(scalar(node))


def _kind(value: Any) -> str:
    match value:
        case ScalarText():
            return value.kind
        case dict():
            return "mapping"
        case list():
            return "list"
        case str():
            return "string"
        case bool():
            return "boolean"
        case int() | Decimal():
            return "number"
    return type(value).__name__
