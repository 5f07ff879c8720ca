"""Property: any split of a product between a template and the product expands to the explicit product."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.config import check_catalog
from catalogctl.model.from_catalog import desired_resources

SHOP = {"categories": [{"title": "Tees"}, {"title": "Mugs"}],
        "variant_groups": [{"name": "Color", "type": "color"}, {"name": "Size"}]}
words = st.sampled_from(["red", "blue", "soft", "cotton", "summer", "gift"])
# floats only as the JSON text of a price: the loader reads that text as a Decimal, never a float
prices = st.integers(min_value=100, max_value=99_999).map(lambda cents: round(cents / 100, 2))

products = st.fixed_dictionaries({
    "title": st.sampled_from(["Classic Tee", "Big Mug", "Crew Neck"]),
    "vendor": st.sampled_from(["Inkwell", "Acme Co"]),
    "category": st.sampled_from(["Tees", "Mugs"]),
    "price": prices,
    "compare_at_price": st.one_of(st.none(), prices),
    "tags": st.lists(words, max_size=3, unique=True),
    "images": st.lists(st.sampled_from(["a", "b", "c"]), max_size=3, unique=True).map(
        lambda names: [f"https://img.example.com/{{slug}}/{name}.jpg" for name in names]),
    "options": st.just(["Color", "Size"]),
    "variants": st.fixed_dictionaries({
        "matrix": st.fixed_dictionaries({
            "Color": st.just([{"value": "Black", "color": "#111111"}, {"value": "White", "color": "#FFFFFF"}]),
            "Size": st.lists(st.sampled_from(["S", "M", "L"]), max_size=3, unique=True).map(lambda s: [*s, "XL"])}),
        "sku": st.just("{sku}-{Color}-{Size}"),
        "price": st.fixed_dictionaries({"base": prices, "adjust": st.just({"Size": {"XL": 2.0}})}),
    }),
})


def _yaml(data: Any) -> str:
    return json.dumps(data)  # JSON is YAML


def _explicit(product: dict[str, Any], sku: str) -> dict[str, Any]:
    slug = sku.lower()
    text = json.dumps(product).replace("{slug}", slug).replace("{sku}", sku)
    return {"sku": sku, **json.loads(text)}


def _resources(root: Path) -> dict:
    result = check_catalog(root)
    assert result.ok, "\n".join(map(str, result.problems))
    return {str(address): resource.attrs for address, resource in desired_resources(result.catalog).items()}


@settings(max_examples=40, deadline=None)
@given(product=products, in_template=st.sets(st.sampled_from(
    ["vendor", "category", "price", "compare_at_price", "tags", "images", "options", "variants"])),
    decoys=st.sets(st.sampled_from(["vendor", "price", "tags"])))
def test_any_split_expands_to_the_explicit_product(product: dict[str, Any], in_template: set[str],
                                                   decoys: set[str]) -> None:
    product = {key: value for key, value in product.items() if value is not None}
    template = {"name": "base", **{key: product[key] for key in in_template if key in product}}
    # the template may also set what the product overrides: the product must win
    decoy_values = {"vendor": "Decoy", "price": 1.0, "tags": ["decoy"]}
    template.update({key: decoy_values[key] for key in decoys if key not in in_template})
    own = {key: value for key, value in product.items() if key not in template or key in decoys}
    templated = {**SHOP, "templates": [template],
                 "products": [{"sku": "TEE-1", "title": product["title"], "template": "base",
                               **{k: v for k, v in own.items() if k != "title"}}]}
    explicit = {**SHOP, "products": [_explicit(product, "TEE-1")]}
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "t").mkdir()
        (Path(tmp) / "e").mkdir()
        (Path(tmp) / "t" / "c.yaml").write_text(_yaml(templated))
        (Path(tmp) / "e" / "c.yaml").write_text(_yaml(explicit))
        assert _resources(Path(tmp) / "t") == _resources(Path(tmp) / "e")
