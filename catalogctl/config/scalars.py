"""YAML scalars: the YAML 1.2 core schema as ruamel's round-trip loader applied it, with the source text kept.

A plain scalar YAML reads as a number or a date (`012345678905`, `1e3`, `0o17`, `8.50`, `2024-01-02`)
is kept as its text, a `str` subclass whose `.value` is what YAML means: every string field of the
catalog (skus, titles, option names and values, tags...) gets exactly what was written, and the
number fields (money, weights) and flags take `.value` through `resolved()`. Booleans and nulls stay
`True`/`False`/`None`: a string field refuses them and says to quote the text (see diagnostics).
Rare spellings (hex/octal ints, timestamps, explicit `!!bool`...) are built by ruamel's own constructor
so their values come out exactly as before.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from ruamel.yaml import YAML as RuamelYAML
from ruamel.yaml.nodes import ScalarNode as RuamelScalar
from yaml.nodes import ScalarNode

PLAIN = "!plain"  # our resolver's tag for an untagged plain scalar: resolved here, by YAML 1.2 rules
STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
MERGE = "tag:yaml.org,2002:merge"

# ruamel's YAML 1.2 implicit resolvers, tried in ruamel's order (float before int before timestamp)
_FLOAT = re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""", re.X)
_INT = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$")
_TIMESTAMP = re.compile(r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
    (?:[Tt]|[ \t]+)[0-9][0-9]?
    :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", re.X)
WORDS: dict[str, Any] = {
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
    "~": None, "null": None, "Null": None, "NULL": None, "": None,
}
NULLWORDS = frozenset(word for word, value in WORDS.items() if value is None)
NUMBER_START = frozenset("-+0123456789.")


class ScalarText(str):
    """A scalar YAML reads as a number or date, as the text written in the file; `.value` is YAML's reading."""

    __slots__ = ()
    kind = "value"

    @property
    def value(self) -> Any:
        raise NotImplementedError


class IntText(ScalarText):
    """`012345678905`, `0o17`, `1_000`: an integer to YAML."""

    __slots__ = ()
    kind = "number"

    @property
    def value(self) -> int:
        return integer(self)


class FloatText(ScalarText):
    """`8.50`, `1e3`, `.5`: a float to YAML, a Decimal from its text to us (`.inf`/`.nan` stay text)."""

    __slots__ = ()
    kind = "number"

    @property
    def value(self) -> Decimal | str:
        return decimal(self)


class DateText(ScalarText):
    """`2024-01-02`: a timestamp to YAML."""

    __slots__ = ()
    kind = "date"

    @property
    def value(self) -> Any:
        return _ruamel("construct_yaml_timestamp", TIMESTAMP, str(self))


def resolved(value: Any) -> Any:
    """What YAML means by a scalar: `.value` of a ScalarText, anything else unchanged (for number fields)."""
    return value.value if isinstance(value, ScalarText) else value


@cache
def _ruamel_constructor() -> Any:
    return RuamelYAML(typ="rt").constructor


def _ruamel(method: str, tag: str, text: str) -> Any:
    """Build a rare scalar with ruamel's own constructor, so it comes out exactly as it used to."""
    return getattr(_ruamel_constructor(), method)(RuamelScalar(tag, text))


def decimal(text: str) -> Decimal | str:
    """A YAML float as Decimal from its text; .inf/.nan stay text for the schema to refuse clearly."""
    try:
        number = Decimal(text.replace("_", ""))
    except InvalidOperation:
        return str(text)
    return number if number.is_finite() else str(text)


def integer(text: str) -> int:
    if text.isascii() and text.isdigit():
        return int(text)
    return int(_ruamel("construct_yaml_int", INT, str(text)))


def plain_scalar(text: str) -> Any:
    """An untagged plain scalar by the YAML 1.2 core schema: numbers and dates as ScalarText, else as ruamel."""
    if text in WORDS:
        return WORDS[text]
    if text[0] in NUMBER_START:
        if text.isascii() and text.isdigit():
            return IntText(text)
        if _FLOAT.match(text):
            return FloatText(text)
        if _INT.match(text):
            return IntText(text)
        if _TIMESTAMP.match(text):
            return DateText(text)
    return text


def scalar(node: ScalarNode) -> Any:
    """The Python value of a scalar node (explicit core tags honoured, unknown tags give the text)."""
    return tagged_scalar(node.tag, node.value)


def tagged_scalar(tag: str, text: str) -> Any:
    """The Python value of a scalar with this (resolved or explicit) tag: `scalar` of a node, from its parts."""
    if tag == PLAIN:
        return plain_scalar(text)
    match tag:
        case "tag:yaml.org,2002:int":
            return IntText(text)
        case "tag:yaml.org,2002:float":
            return FloatText(text)
        case "tag:yaml.org,2002:bool":
            return _ruamel("construct_yaml_bool", BOOL, text)
        case "tag:yaml.org,2002:null":
            return None
        case "tag:yaml.org,2002:timestamp":
            return DateText(text)
    return text
