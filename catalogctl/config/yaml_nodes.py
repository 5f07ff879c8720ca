"""Fast YAML: libyaml parses and composes the node graph, one Python pass builds plain data and positions.

The data means what ruamel.yaml's round-trip loader gave (YAML 1.2 core schema: `yes` is a string,
`017` is 17, `<<` merges), with numbers and dates kept as their source text (`scalars.ScalarText`),
and each mapping/sequence gets a compact `MapSpot`/`SeqSpot` that `source.Origin` walks to report
file:line:column. Keys are compared as text, so `1` and `01` are two keys and `2` and `'2'` one.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from catalogctl.config.scalars import MERGE, NUMBER_START, PLAIN, STR, WORDS, plain_scalar, scalar

WITH_LIBYAML: bool = getattr(yaml, "__with_libyaml__", False)
# A catalog nests about six levels; the limit is ours, far below libyaml's own (1000 in recent
# versions, none in older ones) and Python's recursion limit, so every parser says the same thing.
MAX_DEPTH = 100


# The spots are NamedTuples: immutable as the frozen dataclasses they were, and made in a third of the time
# (0.22 against 0.69 us; 100,000 of them at 10,000 products). Only source.Origin reads them, by attribute.
class PointSpot(NamedTuple):
    """Where a scalar section item starts (0-based, like the marks)."""

    line: int
    column: int


class MapSpot(NamedTuple):
    """A mapping's start and, per key, (key line, key column, value line, value column, child spot or None).

    Keys merged in through `<<` point at their definition in the anchored mapping.
    """

    line: int
    column: int
    entries: dict[Any, tuple[int, int, int, int, Any]]


class SeqSpot(NamedTuple):
    """A sequence's start and, per item, (line, column, child spot or None)."""

    line: int
    column: int
    items: tuple[tuple[int, int, Any], ...]


Spot = PointSpot | MapSpot | SeqSpot


class TooLarge(Exception):
    """The document expands (through aliases) to more values than the budget allows."""


class TooDeep(Exception):
    """A list or mapping nested more than MAX_DEPTH levels deep; line and column (0-based) of the first one."""

    def __init__(self, line: int, column: int) -> None:
        super().__init__(f"nested more than {MAX_DEPTH} levels deep at line {line + 1}, column {column + 1}")
        self.line = line
        self.column = column


class Unsupported(Exception):
    """A construct this builder does not take (e.g. a `<<` of a scalar): let ruamel say what is wrong."""


class _Resolver(yaml.resolver.BaseResolver):
    """Resolves nothing itself: plain scalars are tagged PLAIN and resolved by YAML 1.2 rules below."""

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return PLAIN if implicit[0] else STR
        return "tag:yaml.org,2002:seq" if kind is SequenceNode else "tag:yaml.org,2002:map"

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # no path resolvers: skip the per-node bookkeeping libyaml's composer calls back for

    def ascend_resolver(self) -> None:
        pass


class _PureLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, _Resolver):
    """PyYAML's pure-Python parser: the fallback when PyYAML was built without libyaml."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)


if WITH_LIBYAML:
    from yaml.cyaml import CParser

    class _FastLoader(CParser, _Resolver):
        """libyaml parses and composes in C; only tag resolution calls back into Python."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Resolver.__init__(self)


def compose(text: str) -> Node | None:
    """The document's node graph (None for an empty file); libyaml when present. Raises yaml.YAMLError."""
    loader = _FastLoader(text) if WITH_LIBYAML else _PureLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def check_depth(text: str) -> None:
    """Raise TooDeep if the text nests deeper than MAX_DEPTH before any syntax error (else return).

    Called when composing failed: parsers give up on deep nesting each in their own way (libyaml's
    "exceeded maximum nesting depth", the pure-Python composer's RecursionError). PyYAML's pure-Python
    parser has no depth limit and emits flat events (libyaml scans a whole flow run before its first
    event, so it would fail first), so counting its events finds the depth whatever the library version.
    """
    loader = _PureLoader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, _OPENS):
                depth += 1
                if depth > MAX_DEPTH:
                    raise TooDeep(event.start_mark.line, event.start_mark.column)
            elif isinstance(event, _CLOSES):
                depth -= 1
    except yaml.YAMLError:
        return  # a syntax error before the depth limit: the caller words that one
    finally:
        loader.dispose()


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic GC: building a big file's nodes (which form no cycles) set it off again and again,
    each pass scanning every node built so far; that cost more than the parse itself."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _scalar(node: ScalarNode) -> Any:
    """`scalars.scalar` with its two common cases first: a plain word or number, and a quoted string."""
    tag = node.tag
    if tag == PLAIN:
        text = node.value
        if text in WORDS:
            return WORDS[text]
        return plain_scalar(text) if text[0] in NUMBER_START else text
    return node.value if tag == STR else scalar(node)


def _is_merge(node: Node) -> bool:
    return node.__class__ is ScalarNode and (node.tag == MERGE or (node.tag == PLAIN and node.value == "<<"))


class Builder:
    """Plain data + spots from a node graph; aliases expand (within `limit` values), duplicates are collected."""

    def __init__(self, limit: int) -> None:
        self.count = 0
        self.limit = limit
        self.depth = 0  # lists/mappings open around the node being built (aliases expanded)
        self.duplicates: dict[tuple[int, int], Any] = {}  # (line, column) of the repeated key -> key

    def value(self, node: Node) -> tuple[Any, Any]:
        """(data, spot) for any node; spot is None for a scalar."""
        self.count += 1
        if self.count > self.limit:
            raise TooLarge
        cls = node.__class__
        if cls is ScalarNode:
            return scalar(node), None
        if cls is MappingNode:
            return self.mapping(node)
        return self.sequence(node)

    def _enter(self, node: Node) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooDeep(node.start_mark.line, node.start_mark.column)

    def sequence(self, node: SequenceNode) -> tuple[list[Any], SeqSpot]:
        self._enter(node)
        data: list[Any] = []
        items = []
        limit = self.limit
        for child in node.value:
            # value() and _scalar() inlined for the common case (as many as there are nodes)
            if child.__class__ is ScalarNode:
                self.count += 1
                if self.count > limit:
                    raise TooLarge
                tag = child.tag
                if tag == PLAIN:
                    text = child.value
                    item = WORDS[text] if text in WORDS else plain_scalar(text) if text[0] in NUMBER_START else text
                else:
                    item = child.value if tag == STR else scalar(child)
                spot = None
            else:
                item, spot = self.value(child)
            data.append(item)
            mark = child.start_mark
            items.append((mark.line, mark.column, spot))
        mark = node.start_mark
        self.depth -= 1
        return data, SeqSpot(mark.line, mark.column, tuple(items))

    def mapping(self, node: MappingNode) -> tuple[dict[Any, Any], MapSpot]:
        self._enter(node)
        data: dict[Any, Any] = {}
        entries: dict[Any, tuple[int, int, int, int, Any]] = {}
        merges = []
        duplicates = self.duplicates
        limit = self.limit
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                self.count += 1
                raise Unsupported("a mapping or list used as a mapping key")
            tag = key_node.tag  # the key as _scalar() reads it, inlined (a `<<` merges instead)
            if tag == PLAIN:
                text = key_node.value
                if text == "<<":
                    merges.append(value_node)
                    continue
                key = WORDS[text] if text in WORDS else plain_scalar(text) if text[0] in NUMBER_START else text
            elif tag == MERGE:
                merges.append(value_node)
                continue
            else:
                key = key_node.value if tag == STR else scalar(key_node)
            self.count += 1
            key_mark = key_node.start_mark
            if key in data:
                duplicates[(key_mark.line, key_mark.column)] = key
                continue
            value_mark = value_node.start_mark
            if value_node.__class__ is ScalarNode:  # value() and _scalar() inlined, as in sequence()
                self.count += 1
                if self.count > limit:
                    raise TooLarge
                tag = value_node.tag
                if tag == PLAIN:
                    text = value_node.value
                    data[key] = WORDS[text] if text in WORDS else plain_scalar(text) if text[0] in NUMBER_START \
                        else text
                else:
                    data[key] = value_node.value if tag == STR else scalar(value_node)
                entries[key] = (key_mark.line, key_mark.column, value_mark.line, value_mark.column, None)
            else:
                data[key], spot = self.value(value_node)
                entries[key] = (key_mark.line, key_mark.column, value_mark.line, value_mark.column, spot)
        for merged in merges:
            self._merge(merged, data, entries)
        mark = node.start_mark
        self.depth -= 1
        return data, MapSpot(mark.line, mark.column, entries)

    def key(self, node: Node) -> Any:
        self.count += 1
        if node.__class__ is ScalarNode:
            return scalar(node)
        raise Unsupported("a mapping or list used as a mapping key")

    def _merge(self, node: Node, data: dict[Any, Any], entries: dict[Any, Any]) -> None:
        """`<<: *a` or `<<: [*a, *b]`: keys not already present, earlier mappings first (as ruamel)."""
        sources = node.value if node.__class__ is SequenceNode else [node]
        for source in sources:
            if source.__class__ is not MappingNode:
                raise Unsupported("a `<<` merge takes a mapping or a list of mappings")
            merged, spot = self.mapping(source)
            for key, value in merged.items():
                if key not in data:
                    data[key] = value
                    entries[key] = spot.entries[key]


def check_duplicates(root: Node, builder: Builder, depth: int = 0) -> None:
    """Collect duplicate keys in every mapping of a subtree, each node once (aliases are not expanded).

    `depth` is how many lists/mappings enclose `root`; nesting past MAX_DEPTH raises TooDeep, as the builder does.
    """
    seen: set[int] = set()
    pending = [(root, depth)]
    while pending:
        node, level = pending.pop()
        if id(node) in seen or node.__class__ is ScalarNode:
            continue
        seen.add(id(node))
        level += 1
        if level > MAX_DEPTH:
            raise TooDeep(node.start_mark.line, node.start_mark.column)
        if node.__class__ is SequenceNode:
            pending.extend((child, level) for child in node.value)
            continue
        keys: set[Any] = set()
        for key_node, value_node in node.value:
            pending.append((value_node, level))
            if _is_merge(key_node) or key_node.__class__ is not ScalarNode:
                continue
            key = scalar(key_node)
            if key in keys:
                builder.duplicates[(key_node.start_mark.line, key_node.start_mark.column)] = key
            keys.add(key)
