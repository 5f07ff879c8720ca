"""Properties: the catalog load's fast paths of issue 13's sixteenth session give what the general code gives.

The references are the general code itself: the plain field rule beside its kept (cached) form, a
private attribute read through pydantic beside the read of its dict, and so on.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from product_strategies import _product, list_products, matrix_products
from pydantic import BaseModel, ConfigDict, ValidationError

from catalogctl.config import models, source
from catalogctl.config import store_rules as rules
from catalogctl.config.expand import expand_variants
from catalogctl.config.models import Category, ColorValue, Product, _rule, origin_of
from catalogctl.config.source import Origin
from catalogctl.config.store_models import StoreFacts
from catalogctl.config.yaml_nodes import MapSpot, PointSpot, SeqSpot
from catalogctl.model import from_catalog
from catalogctl.model.money import canonical

printable = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
TEXTS = st.text(printable, max_size=40) | st.sampled_from(
    ["S", " ", "", "a<b", "x,y", "Blue", "0123", "#0000FF", "#0000ff", "#00FF", "a" * 40, "{x}"])


class ReferenceColor(BaseModel):
    """ColorValue with its rules unkept: every value checked by the rule itself."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)
    value: Annotated[str, _rule(rules.generic_name_problem)]
    color: Annotated[str, _rule(rules.color_problem)]


class ReferenceTags(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)
    tags: list[Annotated[str, _rule(rules.tag_problem)]] = []


def _outcome(model: type[BaseModel], data: Any) -> Any:
    """The model's fields as (type, value) pairs, or its errors without the exception objects."""
    try:
        made = model.model_validate(data)
    except ValidationError as exc:
        return [(error["type"], error["loc"], error["msg"], error["input"]) for error in exc.errors()]
    return {name: [(type(item), item) for item in value] if isinstance(value, list) else (type(value), value)
            for name, value in made.__dict__.items()}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXTS | st.integers(-5, 500), TEXTS), min_size=1, max_size=8))
def test_kept_colour_value_rules_equal_the_rules(pairs: list[tuple[Any, str]]) -> None:
    for value, color in [*pairs, *pairs]:  # each text asked again: the second answer is the kept one
        data = {"value": value, "color": color}
        assert _outcome(ColorValue, data) == _outcome(ReferenceColor, data)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXTS | st.integers(-5, 500) | st.none(), max_size=8))
def test_kept_tag_rule_equals_the_rule(tags: list[Any]) -> None:
    for data in ({"tags": tags}, {"tags": [*tags, *tags]}):
        kept = _outcome(Product, {"sku": "P", "title": "T", "price": 1, **data})
        reference = _outcome(ReferenceTags, data)
        if isinstance(reference, dict):
            assert kept["tags"] == reference["tags"]  # type: ignore[index]
        else:
            assert [error for error in kept if error[1][0] == "tags"] == reference


def test_a_kept_rule_gives_the_text_it_kept_equal_and_of_the_same_type() -> None:
    first = ColorValue.model_validate({"value": "".join(["Bl", "ue"]), "color": "#0000FF"})
    second = ColorValue.model_validate({"value": "".join(["Bl", "ue"]), "color": "#0000FF"})
    assert (first.value, type(first.value)) == (second.value, type(second.value)) == ("Blue", str)
    with pytest.raises(ValidationError):  # a refused text is refused each time (never kept)
        ColorValue.model_validate({"value": "a<b", "color": "#0000FF"})
    with pytest.raises(ValidationError):
        ColorValue.model_validate({"value": "a<b", "color": "#0000FF"})


def test_origin_of_equals_the_attribute_read() -> None:
    origin = Origin(__file__, None)  # type: ignore[arg-type]
    product = Product.model_validate({"sku": "P", "title": "T", "price": Decimal(1)})
    built = Product.model_construct(sku="P", title="T", price=Decimal(1))
    store = StoreFacts.model_validate({})
    category = Category(title="C")
    category._origin = origin
    store._origin = origin
    items: list[Any] = [product, built, store, category, ColorValue(value="B", color="#000000"), object(), None]
    for item in items:
        assert origin_of(item) is getattr(item, "_origin", None)
    assert origin_of(category) is origin_of(store) is origin
    assert origin_of(product) is None


SIGNED = st.decimals(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [Decimal("-0"), Decimal("0"), Decimal("-0.00"), Decimal("-1E+3"), Decimal("-nan"), Decimal("snan")])


@settings(max_examples=500, deadline=None)
@given(SIGNED)
def test_an_amount_copy_is_a_new_decimal_of_the_same_sign_digits_and_exponent(amount: Decimal) -> None:
    copy = from_catalog._copy_of(amount)(amount)
    assert copy is not amount
    assert str(copy) == str(amount.copy_sign(amount)) and copy.as_tuple() == amount.copy_sign(amount).as_tuple()


@settings(max_examples=200, deadline=None)
@given(matrix_products() | list_products())
def test_each_variant_holds_its_own_amounts_equal_to_the_expanded_ones(data: dict[str, Any]) -> None:
    product = _product(data)
    expanded = expand_variants(product)
    attrs = from_catalog.variant_attrs(product, {"Color"})
    seen: set[int] = set()
    for variant, made in zip(expanded, attrs, strict=True):
        for field in ("price", "compare_at_price", "weight"):
            value = getattr(variant, field)
            want = from_catalog.ZERO if value is None else canonical(value)
            assert made[field].as_tuple() == want.as_tuple()
            if made[field] is not from_catalog.ZERO:  # a missing amount is the one shared zero, as before
                assert id(made[field]) not in seen
                seen.add(id(made[field]))


class _Mapping(dict):  # type: ignore[type-arg]
    pass


def test_discriminators_with_a_kept_tuple_equal_the_union_checks() -> None:
    adjusted = models.Adjusted(base=Decimal(1))
    matrix = models.VariantMatrix(matrix={"Size": ["S"]})
    values: list[Any] = [{}, _Mapping(), ColorValue(value="B", color="#000000"), adjusted, matrix, [], "S", None, 1,
                         Decimal(2), ("a",), object()]
    for value in values:
        assert models._value_tag(value) == ("~color" if isinstance(value, dict | ColorValue) else "~plain")
        assert models._amount_tag(value) == ("~adjusted" if isinstance(value, dict | models.Adjusted) else "~amount")
        assert models._variants_tag(value) == ("~list" if isinstance(value, list) else "~matrix" if isinstance(
            value, dict | models.VariantMatrix) else None)


def test_node_start_with_a_kept_tuple_equals_the_union_check() -> None:
    nodes: list[Any] = [PointSpot(1, 2), MapSpot(3, 4, {}), SeqSpot(5, 6, ()), None, (7, 8), {}]
    for node in nodes:
        expected = (node.line, node.column) if isinstance(node, MapSpot | SeqSpot | PointSpot) else (0, 0)
        assert source._node_start(node) == expected
