"""The common catalog file built straight from libyaml's events: no node graph made and freed.

`yaml_nodes` composes each file into a graph of PyYAML nodes (every node a Python object with two
marks, a resolver call and a constructor call each) and then walks it; for a 500-product file the
graph was a third of the load and freeing it another tenth. This reads libyaml's event stream once
and builds the same plain data and the same `MapSpot`/`SeqSpot` positions as `yaml_nodes.Builder`.

It takes only what it can build exactly as the node path does: one document whose top level maps
known section names to a list (a mapping for `store`), no anchors, aliases, `<<` merges, keys that
are lists or mappings, repeated keys, nesting past MAX_DEPTH or more than `limit` values. Anything
else (and every syntax error) answers None, and the loader reads the file through the node path,
which words every problem as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from catalogctl.config.scalars import MERGE, NUMBER_START, PLAIN, WORDS, plain_scalar, tagged_scalar
from catalogctl.config.yaml_nodes import MAX_DEPTH, WITH_LIBYAML, MapSpot, PointSpot, SeqSpot, Spot

if WITH_LIBYAML:
    from yaml.cyaml import CParser


# tuple.__new__ is MapSpot(...) (a NamedTuple) without the Python frame of its generated __new__
_new = tuple.__new__


class _NotPlain(Exception):
    """The file holds something this reader leaves to the node path."""


@dataclass
class Sections:
    """A file's section items in file order: (section, data, spot, section key's line, column), 0-based."""

    items: list[tuple[str, Any, Spot, int, int]] = field(default_factory=list)


def read_sections(text: str, sections: tuple[str, ...], limit: int) -> Sections | None:
    """The file's items as the node path builds them, or None when the node path must read it (whatever it
    would do with the file, even fail: the event reader never decides anything but the common case)."""
    if not WITH_LIBYAML:
        return None
    reader = _Reader(text)
    try:
        return reader.document(sections, limit)
    except Exception:  # a syntax error, or any scalar a constructor refuses: the node path decides
        return None
    finally:
        reader.parser.dispose()


def _key(event: Any) -> Any:
    """A mapping key's value, as Builder.mapping reads it."""
    if event.__class__ is not ScalarEvent or event.anchor is not None:
        raise _NotPlain  # a list or mapping as a key, an alias, an anchor
    tag = event.tag
    text = event.value
    if tag is None or tag == "!":  # what the node path's resolver tags PLAIN (plain) or STR (quoted)
        if not event.implicit[0]:
            return text
        if text in WORDS:
            return WORDS[text]
        if text == "<<":
            raise _NotPlain  # a merge
        return plain_scalar(text) if text[0] in NUMBER_START else text
    if tag in (MERGE, PLAIN):  # written out: `!!merge <<` merges, and so does `!plain <<`
        raise _NotPlain
    return tagged_scalar(tag, text)


def _scalar(event: Any) -> Any:
    """A scalar value, as Builder reads it (the event is a ScalarEvent)."""
    if event.anchor is not None:
        raise _NotPlain
    tag = event.tag
    text = event.value
    if tag is None or tag == "!":
        if not event.implicit[0]:
            return text
        return WORDS[text] if text in WORDS else plain_scalar(text) if text[0] in NUMBER_START else text
    return tagged_scalar(tag, text)


class _Reader:
    def __init__(self, text: str) -> None:
        self.parser = CParser(text)
        self.next = self.parser.get_event
        self.count = 0  # values built, counted as Builder counts them (keys and values)

    def document(self, sections: tuple[str, ...], limit: int) -> Sections:
        following = self.next
        if following().__class__ is not StreamStartEvent or following().__class__ is not DocumentStartEvent:
            raise _NotPlain  # an empty stream: the node path says whether it is meant
        root = following()
        if root.__class__ is not MappingStartEvent or root.anchor is not None:
            raise _NotPlain
        result = Sections()
        names: set[Any] = set()
        while (event := following()).__class__ is not MappingEndEvent:
            name = _key(event)
            if name in names or name not in sections:
                raise _NotPlain  # a repeated or unknown section
            names.add(name)
            mark = event.start_mark
            self._section(name, following(), mark.line, mark.column, result.items)
        if following().__class__ is not DocumentEndEvent or following().__class__ is not StreamEndEvent:
            raise _NotPlain  # a second document: the node path refuses it
        if self.count > limit:
            raise _NotPlain  # the node path says it is too large
        return result

    def _section(self, name: str, value: Any, line: int, column: int, items: list[Any]) -> None:
        if value.anchor is not None:
            raise _NotPlain
        if name == "store":
            if value.__class__ is not MappingStartEvent:
                raise _NotPlain  # null, or the wrong kind: the node path says what is wrong
            self.count += 1
            data, spot = self.mapping(value, 2)
            items.append((name, data, spot, line, column))
            return
        if value.__class__ is not SequenceStartEvent:
            raise _NotPlain
        following = self.next
        while (item := following()).__class__ is not SequenceEndEvent:
            self.count += 1
            cls = item.__class__
            if cls is ScalarEvent:
                mark = item.start_mark
                items.append((name, _scalar(item), PointSpot(mark.line, mark.column), line, column))
                continue
            if cls is MappingStartEvent:
                data, spot = self.mapping(item, 3)
            elif cls is SequenceStartEvent:
                data, spot = self.sequence(item, 3)
            else:
                raise _NotPlain  # an alias
            items.append((name, data, spot, line, column))

    def mapping(self, start: Any, depth: int) -> tuple[dict[Any, Any], MapSpot]:
        """The mapping that `start` opens, `depth` lists and mappings deep (itself included)."""
        if depth > MAX_DEPTH or start.anchor is not None:
            raise _NotPlain
        following = self.next
        data: dict[Any, Any] = {}
        entries: dict[Any, tuple[int, int, int, int, Any]] = {}
        while (event := following()).__class__ is not MappingEndEvent:
            # _key and _scalar inlined for a word with no tag or anchor that reads as itself (most keys and
            # values); anything else takes the call, which decides as before
            if event.__class__ is ScalarEvent and event.tag is None and event.anchor is None:
                key = event.value
                if event.implicit[0] and (key in WORDS or key == "<<" or key[0] in NUMBER_START):
                    key = _key(event)
            else:
                key = _key(event)
            if key in data:
                raise _NotPlain  # a repeated key: the node path reports it
            key_mark = event.start_mark
            event = following()
            mark = event.start_mark
            cls = event.__class__
            if cls is ScalarEvent:
                text = event.value
                if event.tag is not None or event.anchor is not None or (event.implicit[0] and (
                        text in WORDS or text[0] in NUMBER_START)):
                    text = _scalar(event)
                data[key] = text
                entries[key] = (key_mark.line, key_mark.column, mark.line, mark.column, None)
                continue
            if cls is MappingStartEvent:
                data[key], spot = self.mapping(event, depth + 1)
            elif cls is SequenceStartEvent:
                data[key], spot = self.sequence(event, depth + 1)
            else:
                raise _NotPlain
            entries[key] = (key_mark.line, key_mark.column, mark.line, mark.column, spot)
        self.count += 2 * len(data)
        mark = start.start_mark
        return data, _new(MapSpot, (mark.line, mark.column, entries))

    def sequence(self, start: Any, depth: int) -> tuple[list[Any], SeqSpot]:
        """The list that `start` opens, `depth` lists and mappings deep (itself included)."""
        if depth > MAX_DEPTH or start.anchor is not None:
            raise _NotPlain
        following = self.next
        data: list[Any] = []
        items = []
        while (event := following()).__class__ is not SequenceEndEvent:
            mark = event.start_mark
            cls = event.__class__
            if cls is ScalarEvent:  # _scalar inlined, as in mapping()
                text = event.value
                if event.tag is not None or event.anchor is not None or (event.implicit[0] and (
                        text in WORDS or text[0] in NUMBER_START)):
                    text = _scalar(event)
                data.append(text)
                items.append((mark.line, mark.column, None))
                continue
            if cls is MappingStartEvent:
                value, spot = self.mapping(event, depth + 1)
            elif cls is SequenceStartEvent:
                value, spot = self.sequence(event, depth + 1)
            else:
                raise _NotPlain
            data.append(value)
            items.append((mark.line, mark.column, spot))
        self.count += len(data)
        mark = start.start_mark
        return data, _new(SeqSpot, (mark.line, mark.column, tuple(items)))
