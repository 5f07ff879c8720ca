"""The create_product rows of the contract table as one msgspec type: a body it takes breaks none of them.

Issue 13: the ~45 rows of a create_product, walked row by row in Python, were ~23% of the sandbox's
instructions per create (callgrind). msgspec checks a body against this type in C. The type is
stricter than the rows, never more lenient: a body it refuses (a single object for a list, a Decimal
price, an empty image, a field absent that the rows let go) is judged by the rows as before, so the
first row broken, and so every refusal, is the rows' own.
"""

from __future__ import annotations

from itertools import chain
from operator import attrgetter
from typing import Annotated, Any, Literal

import msgspec

from catalogctl.sandbox.groovekart import contract, contract_table
from catalogctl.sandbox.groovekart.contract import Check, Row

# REQUIRED and TEXT: a str, not "" (missing() of a str is its emptiness).
_Given = Annotated[str, msgspec.Meta(min_length=1)]
# NUMBER: an int, or a text that takes() then matches against the rows' own pattern (an int is never
# missing; a matching text has a digit). Not msgspec's `pattern`: it calls Python's re once per value
# (30 a create_product: ~130,000 instructions), where the texts repeat ("19.5" in every variant).
_Number = int | str
_GroupType = Literal["select", "radio", "color"]  # ONE_OF contract_table.GROUP_TYPES, exactly as written


class _Color(msgspec.Struct, tag_field="variant_group_type", tag="color"):
    """A value of a color group: `color` required (the row applies where the group type is "color")."""

    variant_name: _Given
    color: _Given


class _Select(msgspec.Struct, tag_field="variant_group_type", tag="select"):
    variant_name: _Given


class _Radio(msgspec.Struct, tag_field="variant_group_type", tag="radio"):
    variant_name: _Given


class _Variant(msgspec.Struct):
    variant_values: Annotated[dict[str, _Color | _Select | _Radio], msgspec.Meta(min_length=1)]
    compare_at_price: _Number
    price: _Number
    default_on: bool | Annotated[int, msgspec.Meta(ge=0, le=1)]  # BOOL: true/false or 1/0, never missing
    sku: str | None = None
    weight: _Number | None = None
    weight_unit: str | None = None


class _Group(msgspec.Struct):
    name: _Given
    group_type: _GroupType


class _Image(msgspec.Struct):
    src: _Given
    position: int | None = None


class _Product(msgspec.Struct):
    title: _Given
    compare_default_price: _Number
    price: _Number
    visibility: Literal["both", "search", "none"]  # ONE_OF contract_table.VISIBILITIES
    # Required here even without variants (the row asks for it only with them): stricter, never laxer.
    variant_groups: Annotated[list[_Group], msgspec.Meta(min_length=1)]
    description: str | None = None
    short_description: str | None = None
    vendor: str | None = None
    category_id: int | None = None
    image: _Image | None = None
    sku: str | int | None = None
    weight: _Number | None = None
    tags: str | None = None
    variants: list[_Variant] | None = None


class _Create(msgspec.Struct):
    product: _Product


_NUMBERS = attrgetter("price", "compare_at_price", "weight")  # a variant's NUMBER fields
_DEFAULT_ON = attrgetter("default_on")


def takes(body: Any) -> bool:
    """Whether the type takes `body` and its number texts are numbers (then it breaks none of the rows
    the type covers)."""
    try:
        product = msgspec.convert(body, _Create).product
    except Exception:  # whatever msgspec refuses (or fails on), the rows judge
        return False
    variants = product.variants or ()
    # ONE_DEFAULT: at most one default_on that _truthy() calls true, which of true/false/1/0 are true and 1.
    if [*map(_DEFAULT_ON, variants)].count(1) > 1:
        return False
    numbers = {product.price, product.compare_default_price, product.weight,
               *chain.from_iterable(map(_NUMBERS, variants))}
    return all(value.__class__ is not str or contract.valid(Check.NUMBER, value) for value in numbers)


ROWS: tuple[Row, ...] = contract_table.ROWS["products.json:create"]
REST: tuple[Row, ...] = ()  # the rows takes() does not cover, still run for a body it takes
assert contract_table.GROUP_TYPES == ("select", "radio", "color") and contract_table.VISIBILITIES == (
    "both", "search", "none"), "the Literals above spell the table's options"
contract.shortcut(ROWS, takes, REST)
