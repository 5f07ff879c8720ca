"""A small, fast YAML writer for the documents import builds (ruamel's emitter takes ~6 ms a file).

It knows only what documents.py produces (dicts, lists, strings, Decimals, bools, None, with
flow-style and literal-block markers) and writes it in the same layout `emit.make_yaml()` uses.
Strings are plain only when that cannot be misread; otherwise quoted. Tests check that every
file it writes loads back to the same data, and matches ruamel's bytes on the examples.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from catalogctl.importer.emit import FlowList, FlowMap
from catalogctl.model.money import plain_string

# Plain scalars that a YAML 1.1 or 1.2 reader would take for a number, bool, null or date.
_NOT_STRING = re.compile(
    r"^(?:[-+]?[0-9_]+|[-+]?0[xX][0-9a-fA-F_]+|0o[0-7_]+|[-+]?0b[01_]+"
    r"|[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|~|=|<<)$"
)
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW = set(",[]{}")
_PRINTABLE = re.compile(r"^[\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*$")


def dumps(document: Mapping[str, Any]) -> str:
    """The document as YAML text (block style, except flow-marked maps and lists)."""
    lines: list[str] = []
    _mapping(document, 0, lines)
    return "".join(lines)


def _mapping(mapping: Mapping[str, Any], indent: int, lines: list[str], first_prefix: str | None = None) -> None:
    for index, (key, value) in enumerate(mapping.items()):
        prefix = first_prefix if index == 0 and first_prefix is not None else " " * indent
        head = f"{prefix}{_scalar(key, flow=False)}:"
        _value(head, value, indent, lines)


def _value(head: str, value: Any, indent: int, lines: list[str]) -> None:
    if _is_flow(value) or not isinstance(value, dict | list) or not value:
        if isinstance(value, LiteralScalarString) and _literal_ok(value):
            lines.append(f"{head} {_literal_header(value)}\n")
            lines.extend(f"{' ' * (indent + 2)}{line}\n" if line else "\n" for line in _literal_lines(value))
            return
        lines.append(f"{head} {_inline(value)}\n")
    elif isinstance(value, dict):
        lines.append(f"{head}\n")
        _mapping(value, indent + 2, lines)
    else:
        lines.append(f"{head}\n")
        _sequence(value, indent + 2, lines)


def _sequence(items: list[Any], indent: int, lines: list[str]) -> None:
    for item in items:
        if isinstance(item, dict) and item and not _is_flow(item):
            _mapping(item, indent + 2, lines, first_prefix=" " * indent + "- ")
        elif isinstance(item, list) and item and not _is_flow(item):
            lines.append(f"{' ' * indent}-\n")
            _sequence(item, indent + 2, lines)
        else:
            lines.append(f"{' ' * indent}- {_inline(item)}\n")


def _is_flow(value: Any) -> bool:
    if isinstance(value, FlowList | FlowMap):
        return True
    return isinstance(value, CommentedMap | CommentedSeq) and bool(value.fa.flow_style())


def _inline(value: Any, flow: bool = False) -> str:
    if isinstance(value, dict):
        inner = ", ".join(f"{_scalar(k, flow=True)}: {_inline(v, True)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v, True) for v in value) + "]"
    return _scalar(value, flow=flow)


def _scalar(value: Any, *, flow: bool) -> str:
    match value:
        case None:
            return "null"
        case bool():
            return "true" if value else "false"
        case Decimal():
            return plain_string(value)
        case int():
            return str(value)
        case str():
            return _string(value, flow=flow)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


@lru_cache(maxsize=16384)  # keys and option values repeat across thousands of files
def _string(text: str, *, flow: bool) -> str:
    if _plain_ok(text, flow=flow):
        return text
    if "\n" not in text and _PRINTABLE.match(text):
        return "'" + text.replace("'", "''") + "'"
    return _double_quoted(text)


def _plain_ok(text: str, *, flow: bool) -> bool:
    if not text or text != text.strip() or text[0] in _INDICATORS or not _PRINTABLE.match(text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or _NOT_STRING.match(text):
        return False
    return not (flow and any(ch in _FLOW for ch in text))


def _double_quoted(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF) or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _literal_ok(text: str) -> bool:
    """A literal block keeps the text exactly: no leading blanks, no blanks before a line break."""
    if not text.strip() or text[0] in " \t\n" or not _PRINTABLE.match(text.replace("\n", "").replace("\t", "")):
        return False
    return not any(line != line.rstrip(" \t") for line in text.split("\n"))


def _literal_header(text: str) -> str:
    trailing = len(text) - len(text.rstrip("\n"))
    return "|-" if trailing == 0 else "|" if trailing == 1 else "|+"


def _literal_lines(text: str) -> list[str]:
    return text[: len(text) - 1].split("\n") if text.endswith("\n") else text.split("\n")
