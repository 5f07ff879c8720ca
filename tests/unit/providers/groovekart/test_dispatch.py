"""Every Op has exactly one `case` in the executor's match, and capabilities cover every kind."""

from __future__ import annotations

import inspect
import re
import typing

from catalogctl.core import DeleteMode
from catalogctl.model.address import Kind
from catalogctl.providers.groovekart import CAPABILITIES, GrooveKartProvider, actions
from catalogctl.providers.groovekart.execute import dispatch as executor


def test_every_action_class_has_a_case() -> None:
    # a regex, not ast.parse: CPython 3.11.7's ast can fail spuriously ("recursion depth mismatch")
    cases = re.findall(r"^\s+case (\w+)\(\):$", inspect.getsource(executor), flags=re.M)
    union = typing.get_args(typing.get_args(actions.Action)[0])
    assert sorted(cases) == sorted(cls.__name__ for cls in union)
    assert {cls.model_fields["op"].default for cls in union} == set(actions.Op)


def test_capabilities_match_the_store() -> None:
    assert set(CAPABILITIES) == set(Kind) - {Kind.STORE, Kind.STAFF_USER}  # the catalog kinds
    assert GrooveKartProvider.capabilities is CAPABILITIES
    product = CAPABILITIES[Kind.PRODUCT]
    assert product.delete is DeleteMode.DEACTIVATE
    assert product.in_place == {"sku", "title", "description", "vendor", "price", "compare_at_price", "tags", "active"}
    assert product.replace == {"category", "visibility", "weight", "short_description"}
    assert CAPABILITIES[Kind.VARIANT].write_only == {"weight_unit"}
    assert CAPABILITIES[Kind.IMAGE].in_place == {"src"} and CAPABILITIES[Kind.IMAGE].delete is DeleteMode.NONE
    assert CAPABILITIES[Kind.VARIANT_GROUP].write_only == {"type"}
    assert CAPABILITIES[Kind.WEBHOOK].delete is DeleteMode.DELETE
