"""Properties: a file read straight from libyaml's events (`yaml_events`) gives exactly what the node path gave.

The reference is the loader's node path (`_load_nodes`: libyaml's node graph walked by `yaml_nodes.Builder`),
which reads every file the event reader declines. Documents are made as YAML event streams (so flow and
block styles, quoting, tags, anchors, aliases, merges, repeated and complex keys all show up) and written
by PyYAML's emitter; every item's data (with the type of each key and leaf, and the order of the keys), its
position tree and every problem must be equal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.events import (
    AliasEvent,
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

from catalogctl.config import loader, yaml_nodes
from catalogctl.config.loader import SECTIONS, RawCatalog
from catalogctl.config.yaml_events import read_sections

pytestmark = [
    pytest.mark.skipif(not yaml_nodes.WITH_LIBYAML, reason="the event reader needs libyaml"),
    # a file the node path refuses is re-read with ruamel to word the error; it warns of reused anchors
    pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning"),
]

PATH = Path("/catalog/file.yaml")
WORDS = ["a", "sku", "Size", "017", "1.50", "0x10", "0o17", "yes", "~", "null", "", "1e3", "2024-01-02", "-1",
         "12:30", ".inf", "true", "False", "x y", "it's", "#c", "1_000", "ü", "a: b", "- x", "{x}"]
TAGS = [None, None, None, None, None, None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp", "!custom"]


@st.composite
def _scalar(draw: st.DrawFn, plain: bool, words: list[str] = WORDS, key: bool = False) -> list[Any]:
    tag = None if plain and key else draw(st.sampled_from(TAGS))  # a tag on a key may make two keys one
    anchor = None if plain else draw(st.sampled_from([None] * 8 + ["a", "b"]))
    style = draw(st.sampled_from([None, None, "'", '"']))
    implicit = (True, True) if tag is None else (False, False)
    return [ScalarEvent(anchor, tag, implicit, draw(st.sampled_from(words)), style=style)]


def _collections(children: st.SearchStrategy[list[Any]], plain: bool) -> st.SearchStrategy[list[Any]]:
    keys = _scalar(plain, ["sku", "title", "price", "017", "1", "01", "~", "", "yes", "<<", "x"] if not plain
                   else ["sku", "title", "price", "017", "yes", "x"], key=True)
    if not plain:
        keys = st.one_of(keys, keys, keys, children)  # a list or mapping as a key, now and then
    anchor = st.just(None) if plain else st.sampled_from([None] * 6 + ["a", "b"])
    pairs = st.lists(st.tuples(keys, children), max_size=5)
    if plain:  # keys unique by the text they resolve to (`1` and `01` are two keys, `x` and 'x' one)
        pairs = st.lists(st.tuples(keys, children), max_size=5, unique_by=lambda pair: pair[0][0].value)
    mappings = st.builds(
        lambda anchor, flow, pairs: [MappingStartEvent(anchor, None, True, flow_style=flow),
                                     *(event for key, value in pairs for event in (*key, *value)), MappingEndEvent()],
        anchor, st.booleans(), pairs)
    sequences = st.builds(
        lambda anchor, flow, items: [SequenceStartEvent(anchor, None, True, flow_style=flow),
                                     *(event for item in items for event in item), SequenceEndEvent()],
        anchor, st.booleans(), st.lists(children, max_size=4))
    return st.one_of(mappings, sequences)


def _values(plain: bool) -> st.SearchStrategy[list[Any]]:
    leaves = _scalar(plain)
    if not plain:
        leaves = st.one_of(leaves, leaves, leaves, st.sampled_from(["a", "b"]).map(lambda name: [AliasEvent(name)]))
    return st.recursive(leaves, lambda children: _collections(children, plain), max_leaves=12)


@st.composite
def documents(draw: st.DrawFn, plain: bool) -> str:
    """A catalog file's text: a mapping of sections (with, unless `plain`, everything the event reader declines)."""
    names = list(SECTIONS) if plain else [*SECTIONS, "x-base", "product", "1", "<<"]
    chosen = draw(st.lists(st.sampled_from(names), max_size=4, unique=plain))
    events: list[Any] = [StreamStartEvent(), DocumentStartEvent(explicit=draw(st.booleans()))]
    events.append(MappingStartEvent(None, None, True, flow_style=draw(st.booleans())))
    for name in chosen:
        events.append(ScalarEvent(None, None, (True, True), name))
        flow = draw(st.booleans())
        if name == "store" or (not plain and draw(st.integers(0, 5)) == 0):
            entries = draw(st.lists(st.tuples(_scalar(plain, ["currency", "name", "x"], key=True), _values(plain)),
                                    max_size=3, unique_by=lambda pair: pair[0][0].value if plain else id(pair)))
            events += [MappingStartEvent(None, None, True, flow_style=flow),
                       *(event for key, value in entries for event in (*key, *value)), MappingEndEvent()]
        elif not plain and draw(st.integers(0, 5)) == 0:
            events += draw(_scalar(plain))
        else:
            items = draw(st.lists(_values(plain), max_size=4))
            events += [SequenceStartEvent(None, None, True, flow_style=flow),
                       *(event for item in items for event in item), SequenceEndEvent()]
    events += [MappingEndEvent(), DocumentEndEvent(explicit=draw(st.booleans())), StreamEndEvent()]
    return yaml.emit(events, allow_unicode=True)


def _shape(value: Any) -> Any:
    """Data with the type of every key and leaf and the order of every mapping's keys."""
    if isinstance(value, dict):
        return ("dict", [(_shape(key), _shape(inner)) for key, inner in value.items()])
    if isinstance(value, list):
        return ("list", [_shape(inner) for inner in value])
    return (type(value).__name__, value)


def _read(text: str, nodes: bool) -> RawCatalog:
    raw = RawCatalog()
    if nodes:
        loader._load_nodes(PATH, text, raw)
    else:
        loader._load_text(PATH, text, raw)
    return raw


def _outcome(text: str, nodes: bool) -> Any:
    """Everything the loader makes of the file: problems, and per section each item's data and positions
    (or the exception it raised: a scalar ruamel's constructor refuses, such as `!!bool maybe`, still does)."""
    try:
        raw = _read(text, nodes)
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))
    return (raw.problems, {name: [(_shape(item.data), item.origin.file, item.origin.node, item.origin.position)
                                  for item in items] for name, items in raw.sections.items()})


def _assert_same(text: str) -> None:
    assert _outcome(text, nodes=False) == _outcome(text, nodes=True)


@settings(max_examples=400, deadline=None)
@given(documents(plain=False))
def test_any_file_loads_as_the_node_path_loads_it(text: str) -> None:
    _assert_same(text)


@settings(max_examples=300, deadline=None)
@given(documents(plain=True))
def test_a_plain_file_is_read_from_events_as_the_node_path_reads_it(text: str) -> None:
    assert read_sections(text, loader.SECTIONS, loader.MAX_NODES) is not None, text
    _assert_same(text)


@pytest.mark.parametrize("text", [
    "products:\n  - &a {sku: A}\n",                       # an anchor
    "x-base: &b {title: T}\nproducts:\n  - {<<: *b, sku: A}\n",  # an extension section, a merge
    "products:\n  - {sku: A, sku: B}\n",                   # a repeated key
    "products:\n  - {? [a]: b}\n",                         # a list as a key
    "products: []\nproducts: []\n",                        # a repeated section
    "product: []\n",                                       # an unknown section
    "products:\n",                                         # an empty section
    "products: {sku: A}\n",                                # a section of the wrong kind
    "store: [a]\n",
    "- a\n",                                               # not a mapping
    "",                                                    # empty
    "# only a comment\n",
    "products: []\n---\nproducts: []\n",                   # two documents
    "products: [a\n",                                      # a syntax error
    "products:\n  - {!!merge <<: {a: 1}}\n",
    "products:\n  - {!plain <<: {a: 1}}\n",
    "products:\n  - {a: !!bool maybe}\n",                  # a tag whose value ruamel refuses (the node path fails)
    "products:\n" + "  - " + "[" * 99 + "]" * 99 + "\n",  # nesting past MAX_DEPTH
])
def test_what_the_event_reader_declines_goes_to_the_node_path(text: str) -> None:
    assert read_sections(text, loader.SECTIONS, loader.MAX_NODES) is None
    _assert_same(text)


def test_the_count_limit_is_the_builders(monkeypatch: pytest.MonkeyPatch) -> None:
    # the builder counts each item (2), item or key and value inside them (3 + 2), the store (1) and its insides (3)
    text = "products:\n  - [1, 2, {a: b}]\n  - c\nstore: {x: [y]}\n"
    assert read_sections(text, loader.SECTIONS, 11) is not None
    assert read_sections(text, loader.SECTIONS, 10) is None
    monkeypatch.setattr(loader, "MAX_NODES", 10)
    raw = _read(text, nodes=False)
    assert [problem.message for problem in raw.problems] == ["the file expands to over 10 values (through anchors and "
                                                             "aliases); it was not read"]
    _assert_same(text)


def test_depth_is_counted_as_the_builder_counts_it() -> None:
    # an item nests its lists 2 levels inside the file's mapping and the section's list: 98 more are allowed
    deepest = "products:\n  - " + "[" * 98 + "]" * 98 + "\n"
    assert read_sections(deepest, loader.SECTIONS, loader.MAX_NODES) is not None
    _assert_same(deepest)
    store = "store: " + "{a: " * 99 + "b" + "}" * 99 + "\n"
    assert read_sections(store, loader.SECTIONS, loader.MAX_NODES) is not None
    _assert_same(store)
    assert read_sections(store.replace("{a: ", "{a: {a: ", 1).replace("}", "}}", 1), loader.SECTIONS,
                         loader.MAX_NODES) is None
