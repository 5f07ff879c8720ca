"""YAML formatting of imported files: one stable spelling, so importing twice gives the same bytes.

Decimals are written as plain YAML numbers (`24.99`, `25`) that the loader reads back as
Decimal; HTML and multi-line text as literal block scalars; every file starts with the
`yaml-language-server` schema line so editors complete and check it.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import LiteralScalarString

from catalogctl.model.money import plain_string

SCHEMA_LINE = "# yaml-language-server: $schema={path}\n"


def _represent_decimal(representer: RoundTripRepresenter, value: Decimal) -> Any:
    text = plain_string(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, text)


def make_yaml() -> YAML:
    """A round-trip YAML instance with our formatting (2-space indent, lists indented, no wrapping)."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.representer.add_representer(Decimal, _represent_decimal)
    yaml.representer.add_representer(FlowList, _represent_flow_list)
    yaml.representer.add_representer(FlowMap, _represent_flow_map)
    return yaml


def block(text: str) -> str:
    """Text that reads best as a literal block (`|-`): HTML or anything multi-line.

    Both writers (fastyaml and ruamel) fall back to a quoted scalar when the text cannot be a
    block (e.g. trailing spaces on a line), so the value always loads back unchanged.
    """
    if "\n" in text or "<" in text:
        return LiteralScalarString(text)
    return text


class FlowList(list[Any]):
    """A list written on one line (`[S, M, L]`): cheaper than ruamel's CommentedSeq for 10,000 files."""


class FlowMap(dict[str, Any]):
    """A mapping written on one line (`{value: Blue, color: "#0000FF"}`)."""


def flow_list(items: list[Any]) -> FlowList:
    """A short list on one line, the way people write tags and sizes."""
    return FlowList(items)


def flow_map(mapping: dict[str, Any]) -> FlowMap:
    """A small mapping on one line."""
    return FlowMap(mapping)


def _represent_flow_list(representer: RoundTripRepresenter, value: FlowList) -> Any:
    return representer.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def _represent_flow_map(representer: RoundTripRepresenter, value: FlowMap) -> Any:
    return representer.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


def dump_fresh(data: Any, schema_path: str | None) -> str:
    """A freshly built document (plain data) as text: the fast writer, same layout as `dump`."""
    from catalogctl.importer.fastyaml import dumps

    header = SCHEMA_LINE.format(path=schema_path) if schema_path else ""
    return header + dumps(data)


def dump(data: Any, schema_path: str | None) -> str:
    """The document (e.g. a round-trip one being merged) as text, schema line on top when given."""
    stream = io.StringIO()
    make_yaml().dump(data, stream)
    header = SCHEMA_LINE.format(path=schema_path) if schema_path else ""
    return header + stream.getvalue()
