"""JSON Schema of a catalog file, generated from the pydantic models (checked in as schemas/catalog.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from catalogctl.config.models import Catalog

SCHEMA_ID = "https://catalogctl.dev/schemas/catalog.schema.json"


def catalog_schema() -> dict[str, Any]:
    """The schema editors use (via `# yaml-language-server: $schema=...`) to complete and check files."""
    schema = _text_takes_numbers(Catalog.model_json_schema(mode="validation"))
    _allow_list_additions(schema["$defs"]["Product"]["properties"])
    extension = {"description": "ignored by catalogctl: a place to keep &anchors"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "patternProperties": {"^x-": extension},
    }


def schema_text() -> str:
    """The schema as the checked-in file spells it (stable key order, trailing newline)."""
    return json.dumps(catalog_schema(), indent=2, ensure_ascii=False) + "\n"


def _text_takes_numbers(node: Any) -> Any:
    """Free text fields also take what YAML reads as a number (`sku: 012345678905`, `Size: [8, 8.5]`),
    as validate does (it keeps the text as written), so an editor does not flag what validate accepts."""
    if isinstance(node, list):
        return [_text_takes_numbers(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _text_takes_numbers(value) for key, value in node.items()}
    if node.get("type") == "string" and not {"enum", "const", "pattern", "format"} & node.keys():
        node["type"] = ["string", "number"]
    return node


def _allow_list_additions(properties: dict[str, Any]) -> None:
    """A templated product may write a list as `{add: [...]}` to extend the template's (config.templates)."""
    for name in ("tags", "images"):
        plain = {key: value for key, value in properties[name].items() if key not in ("title", "default")}
        addition = {"type": "object", "properties": {"add": plain}, "required": ["add"], "additionalProperties": False}
        properties[name] = {"title": properties[name]["title"], "default": [], "anyOf": [plain, addition]}
