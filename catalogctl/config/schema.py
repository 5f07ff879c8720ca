"""JSON Schema of a catalog file, generated from the pydantic models (checked in as schemas/catalog.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from catalogctl.config.models import Catalog

SCHEMA_ID = "https://catalogctl.dev/schemas/catalog.schema.json"


def catalog_schema() -> dict[str, Any]:
    """The schema editors use (via `# yaml-language-server: $schema=...`) to complete and check files."""
    schema = Catalog.model_json_schema(mode="validation")
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
