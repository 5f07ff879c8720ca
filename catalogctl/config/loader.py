"""Read a catalog directory: find the YAML files, parse them with positions, merge the sections.

Parsing uses ruamel.yaml's round-trip loader so every node knows its file:line:column; floats
are constructed as Decimal from their source text, so `27.99` never passes through float.
Every file-level fault becomes a Problem (the loader goes on with the other files).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode

from catalogctl.config.problems import Problem, error
from catalogctl.config.source import Origin, Position

LIST_SECTIONS = ("categories", "variant_groups", "products", "webhooks")
SECTIONS = (*LIST_SECTIONS, "store")
TARGETS_FILE = "catalogctl.yaml"
EXTENSION_PREFIX = "x-"  # top-level keys ignored by the catalog: somewhere to define &anchors
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 1_000_000  # after alias expansion: stops "billion laughs" documents


@dataclass(frozen=True)
class RawItem:
    """One item of a section as plain Python data (dict/list/str/int/Decimal/bool) plus its origin."""

    data: Any
    origin: Origin


@dataclass
class RawCatalog:
    files: list[Path] = field(default_factory=list)
    sections: dict[str, list[RawItem]] = field(default_factory=lambda: {name: [] for name in SECTIONS})
    problems: list[Problem] = field(default_factory=list)


class _DecimalConstructor(RoundTripConstructor):
    """Round-trip constructor that makes YAML floats Decimal, straight from the source text."""

    def construct_decimal(self, node: ScalarNode) -> Decimal | str:
        text = str(node.value).replace("_", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text  # .inf / .nan: left as text for the schema to refuse with a clear message
        return number if number.is_finite() else text


_DecimalConstructor.add_constructor("tag:yaml.org,2002:float", _DecimalConstructor.construct_decimal)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _DecimalConstructor
    yaml.allow_duplicate_keys = False
    return yaml


def catalog_files(root: Path) -> Iterator[Path]:
    """Every *.yaml / *.yml under root, sorted, skipping catalogctl.yaml and hidden directories."""
    found = []
    for directory, subdirectories, names in os.walk(root):
        # prune in place so .git/, .venv/ and .catalogctl/ are never walked at all
        subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
        found += [Path(directory, name) for name in names
                  if name.endswith((".yaml", ".yml")) and name != TARGETS_FILE]
    yield from sorted(found)


def load_raw(root: Path) -> RawCatalog:
    """Parse every catalog file under `root` and merge their sections (each item keeps its origin)."""
    raw = RawCatalog()
    if not root.exists():
        raw.problems.append(error(None, f"{root}: no such directory", "give the directory that holds the catalog"))
        return raw
    files = [root] if root.is_file() else list(catalog_files(root))
    if not files:
        raw.problems.append(error(
            None, f"{root}: no catalog files (*.yaml or *.yml) found",
            "a catalog is a directory of YAML files with sections such as `products:`; see examples/",
        ))
        return raw
    for path in files:
        raw.files.append(path)
        document = _parse_file(path, raw.problems)
        if document is not None:
            _merge(path, document, raw)
    return raw


def _parse_file(path: Path, problems: list[Problem]) -> Any:
    start = Position(path, 1, 1)
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_FILE_BYTES else b""
    except OSError as exc:
        problems.append(error(start, f"cannot read the file: {exc.strerror or exc}",
                              "check that it exists and is readable"))
        return None
    if size > MAX_FILE_BYTES:
        problems.append(error(
            start, f"file is {size / 1024 / 1024:.1f} MB, over the {MAX_FILE_BYTES // 1024 // 1024} MB limit "
            "for one catalog file; it was not read",
            "split the catalog into several files (one product per file works well)",
        ))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(error(
            start, f"not a UTF-8 text file (byte {exc.start} cannot be decoded); is it really YAML?",
            "save the file as UTF-8, or move other files out of the catalog directory",
        ))
        return None
    try:
        document = _yaml().load(text)
    except MarkedYAMLError as exc:
        problems.append(_syntax_problem(path, exc))
        return None
    except YAMLError as exc:
        problems.append(error(start, f"not valid YAML: {exc}", "check that the file is YAML text"))
        return None
    return document


def _syntax_problem(path: Path, exc: MarkedYAMLError) -> Problem:
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


def _duplicate_key(exc: MarkedYAMLError) -> str | None:
    problem = exc.problem or ""
    if '"' in problem:
        return problem.split('"')[1]
    return None


def _merge(path: Path, document: Any, raw: RawCatalog) -> None:
    start = Position(path, 1, 1)
    if document is None:
        return  # an empty file (or only comments) contributes nothing
    if not isinstance(document, dict):
        raw.problems.append(error(
            start, f"the file holds a {_kind(document)}, but a catalog file is a mapping of sections",
            f"start the file with a section such as `products:`; sections are {', '.join(SECTIONS)}",
        ))
        return
    try:
        _merge_sections(path, document, raw)
    except _TooLarge:
        raw.problems.append(error(
            start, f"the file expands to over {MAX_NODES:,} values (through anchors and aliases); it was not read",
            "use fewer nested aliases, or split the file",
        ))


def _merge_sections(path: Path, document: dict[Any, Any], raw: RawCatalog) -> None:
    budget = [0]
    root = Origin(path, document)
    for name, value in document.items():
        where = root.at((name,), key=True)
        if isinstance(name, str) and name.startswith(EXTENSION_PREFIX):
            continue  # a place to keep anchors, as in docker-compose files
        if name not in SECTIONS:
            guess = difflib.get_close_matches(str(name), SECTIONS, n=1)
            hint = f"did you mean {guess[0]!r}?" if guess else (
                f"sections are {', '.join(SECTIONS)}; keys starting with {EXTENSION_PREFIX} are ignored (for anchors)"
            )
            raw.problems.append(error(where, f"unknown section {name!r}", hint))
            continue
        if value is None:
            continue
        if name == "store":
            _add_store(path, value, where, raw, budget)
        elif not isinstance(value, list):
            raw.problems.append(error(
                where, f"{name} must be a list (items start with `- `), not a {_kind(value)}",
                f"write `{name}:` followed by indented `- ...` items",
            ))
        else:
            for index, item in enumerate(value):
                raw.sections[name].append(RawItem(_plain(item, budget), Origin(path, _child(value, index))))


def _add_store(path: Path, value: Any, where: Position, raw: RawCatalog, budget: list[int]) -> None:
    if not isinstance(value, dict):
        raw.problems.append(error(where, f"store must be a mapping of facts, not a {_kind(value)}",
                                  "e.g. `store: {currency: USD}`"))
        return
    if raw.sections["store"]:
        first = raw.sections["store"][0].origin.position
        raw.problems.append(error(where, "store is defined twice", f"it is first defined at {first}"))
        return
    raw.sections["store"].append(RawItem(_plain(value, budget), Origin(path, value)))


def _child(sequence: Any, index: int) -> Any:
    """The item node; a scalar item has no position of its own, so point at the list for it."""
    item = sequence[index]
    return item if hasattr(item, "lc") else _scalar_stand_in(sequence, index)


def _scalar_stand_in(sequence: Any, index: int) -> SimpleNamespace:
    """A scalar list item has no position of its own: a stand-in that carries its line and column."""
    line, column = sequence.lc.item(index)
    return SimpleNamespace(lc=SimpleNamespace(line=line, col=column))


def _plain(node: Any, budget: list[int]) -> Any:
    """ruamel round-trip data -> plain dict/list/str/int/bool/Decimal (anchors expand, within a budget)."""
    budget[0] += 1
    if budget[0] > MAX_NODES:
        raise _TooLarge
    if isinstance(node, dict):
        return {_plain(key, budget): _plain(value, budget) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value, budget) for value in node]
    if isinstance(node, bool | Decimal) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    return node  # dates and the like: pydantic says what it expected


class _TooLarge(Exception):
    pass


def _kind(value: Any) -> str:
    match value:
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
