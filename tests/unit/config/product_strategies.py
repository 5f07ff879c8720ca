"""Generated products for the config fast-path property tests (test_fast_paths, test_load_fast)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from catalogctl.config.models import Product

WORDS = st.text(alphabet="aAbB;xy", min_size=1, max_size=3)  # ";" is fine in a value, refused in a sku
LONG = st.text(alphabet="ab", min_size=14, max_size=20)
# signed amounts the models take (adjustments); their sums can still be refused (negative, too large)
AMOUNTS = st.decimals(min_value=Decimal("-30"), max_value=Decimal("80"), places=2) | st.sampled_from(
    [Decimal("0"), Decimal("1.123456"), Decimal("9999999999")])
COLORS = st.sampled_from(["#0000FF", "#0000ff", "#FF0000"])


def _name(value: Any) -> str:
    return value["value"] if isinstance(value, dict) else value


@st.composite
def matrix_products(draw: st.DrawFn, sku: str = "P") -> dict[str, Any]:
    groups = draw(st.lists(st.sampled_from(["Color", "Size", "Fit"]), min_size=1, max_size=3, unique=True))
    matrix: dict[str, list[Any]] = {}
    for group in groups:
        names = draw(st.lists(WORDS | LONG, min_size=1, max_size=3))
        matrix[group] = [{"value": name, "color": draw(COLORS)} if group == "Color" else name for name in names]
    chosen = {group: _name(draw(st.sampled_from(matrix[group]))) for group in groups}
    variants: dict[str, Any] = {"matrix": matrix}
    literal = st.text(alphabet="S-;<{}%", max_size=4)
    if draw(st.booleans()):
        pieces = draw(st.lists(st.sampled_from([*groups, "Nope", ""]), max_size=3))
        variants["sku"] = draw(literal) + "".join("{" + piece + "}" + draw(literal) for piece in pieces)
    for field in ("price", "compare_at_price", "weight"):
        match draw(st.sampled_from(["none", "plain", "adjusted"])):
            case "plain":
                variants[field] = draw(AMOUNTS).copy_abs()
            case "adjusted":
                adjust = {group: {_name(value): draw(AMOUNTS) for value in matrix[group] if draw(st.booleans())}
                          for group in groups if draw(st.booleans())}
                variants[field] = {"base": draw(AMOUNTS).copy_abs(), "adjust": adjust}
    if draw(st.booleans()):
        variants["default"] = chosen if draw(st.booleans()) else {groups[0]: "zz"}
    if draw(st.booleans()):
        variants["images"] = {groups[0]: {chosen[groups[0]]: "https://img.example.com/a.png"}}
    product = {"sku": sku, "title": "T", "price": draw(AMOUNTS).copy_abs(), "options": groups, "variants": variants}
    for field in ("compare_at_price", "weight"):
        if draw(st.booleans()):
            product[field] = draw(AMOUNTS).copy_abs()
    return product


@st.composite
def list_products(draw: st.DrawFn, sku: str = "P") -> dict[str, Any]:
    rows = draw(st.lists(st.tuples(WORDS, st.none() | COLORS, WORDS), min_size=1, max_size=4))
    variants = [{"values": {"Color": {"value": name, "color": color} if color else name, "Size": size}}
                for name, color, size in rows]
    return {"sku": sku, "title": "T", "price": 1, "options": ["Color", "Size"], "variants": variants}


class PathOrigin:
    """An origin that answers with the path asked for, so a problem's place is compared exactly."""

    def at(self, path: Sequence[Any], *, key: bool = False) -> Any:
        return (*path, key)


def _product(data: dict[str, Any]) -> Product:
    product = Product.model_validate(data)
    product._origin = PathOrigin()  # type: ignore[assignment]
    return product
