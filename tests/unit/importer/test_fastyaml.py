"""The fast writer: same bytes as ruamel on real catalogs, and any text loads back unchanged."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from catalogctl.config import load_catalog
from catalogctl.importer.documents import build
from catalogctl.importer.emit import block, dump, flow_list, flow_map
from catalogctl.importer.fastyaml import dumps
from catalogctl.model.from_catalog import desired_resources

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def test_same_bytes_as_ruamel_on_the_examples() -> None:
    compared = 0
    for example in ("tshirt-shop", "pod-store"):
        for document in build(desired_resources(load_catalog(EXAMPLES / example))).files.values():
            assert dumps(document) == dump(document, None)
            compared += 1
    assert compared > 30


@settings(max_examples=300, deadline=None)
@given(title=text, description=text, tag=text, key=text, value=text)
def test_any_text_loads_back_unchanged(title: str, description: str, tag: str, key: str, value: str) -> None:
    document = {"products": [{
        "title": title, "price": Decimal("24.99"), "description": block(description), "tags": flow_list([tag, "x"]),
        "variants": {"matrix": {key or "k": flow_list([value])}, "default": flow_map({key or "k": value}),
                     "price": {"base": Decimal("1"), "adjust": {key or "k": {value or "v": Decimal("-2.5")}}}},
    }]}
    loaded = YAML(typ="safe", pure=True).load(dumps(document))
    product = loaded["products"][0]
    assert (product["title"], product["description"], product["tags"]) == (title, description, [tag, "x"])
    assert product["variants"]["matrix"] == {key or "k": [value]}
    assert product["variants"]["default"] == {key or "k": value}
    assert product["variants"]["price"]["adjust"] == {key or "k": {value or "v": -2.5}}
