"""Property: any matrix expands to exactly the resources of the explicit list written by hand."""

from __future__ import annotations

import itertools
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogctl.config import load_catalog
from catalogctl.model.from_catalog import desired_resources
from catalogctl.model.resource import ResourceMap

names = st.text(alphabet="ABCDEFGHKMNPRSTWXZ", min_size=1, max_size=3)
cents = st.integers(min_value=0, max_value=5000).map(lambda n: Decimal(n) / 100)


@st.composite
def matrices(draw: st.DrawFn) -> dict:
    groups = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    values = {g: draw(st.lists(names, min_size=1, max_size=3, unique=True)) for g in groups}
    adjust = {g: {v: draw(cents) for v in draw(st.lists(st.sampled_from(values[g]), unique=True))} for g in groups}
    default = draw(st.none() | st.just({g: draw(st.sampled_from(values[g])) for g in groups}))
    return {"groups": groups, "values": values, "base": draw(cents), "adjust": adjust, "default": default}


def _head(groups: list[str]) -> str:
    declared = ", ".join(f"{{name: G{g}}}" for g in groups)
    return (f"variant_groups: [{declared}]\nproducts:\n  - sku: P\n    title: P\n    price: 1\n"
            f"    options: [{', '.join('G' + g for g in groups)}]\n    variants:\n")


def _matrix_yaml(m: dict) -> str:
    text = _head(m["groups"]) + "      matrix:\n"
    text += "".join(f"        G{g}: [{', '.join(m['values'][g])}]\n" for g in m["groups"])
    text += f"      sku: \"P-{'-'.join('{G' + g + '}' for g in m['groups'])}\"\n"
    adjust = ", ".join(f"G{g}: {{{', '.join(f'{v}: {a}' for v, a in m['adjust'][g].items())}}}" for g in m["groups"])
    text += f"      price: {{base: {m['base']}, adjust: {{{adjust}}}}}\n"
    if m["default"]:
        text += f"      default: {{{', '.join(f'G{g}: {v}' for g, v in m['default'].items())}}}\n"
    return text


def _explicit_yaml(m: dict) -> str:
    text = _head(m["groups"])
    for combination in itertools.product(*(m["values"][g] for g in m["groups"])):
        chosen = dict(zip(m["groups"], combination, strict=True))
        price = m["base"] + sum(m["adjust"][g].get(v, Decimal(0)) for g, v in chosen.items())
        values = ", ".join(f"G{g}: {v}" for g, v in reversed(chosen.items()))  # any key order will do
        default = "true" if m["default"] == chosen else "false"
        sku = "P-" + "-".join(combination)
        text += f"      - {{values: {{{values}}}, sku: {sku}, price: {price}, default: {default}}}\n"
    return text


def _resources(text: str) -> ResourceMap:
    with tempfile.TemporaryDirectory() as root:
        Path(root, "c.yaml").write_text(text, encoding="utf-8")
        return desired_resources(load_catalog(root))


@settings(max_examples=40, deadline=None)
@given(matrices())
def test_matrix_equals_explicit_list(m: dict) -> None:
    assert _resources(_matrix_yaml(m)) == _resources(_explicit_yaml(m))
