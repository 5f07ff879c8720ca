"""For random pairs of small catalogs A and B: apply A, then apply B; planning B again shows no
changes except the unsupported leftovers the plan for B announced, and the store holds B. The same
holds from a fresh clone: with the state deleted, the plan is the same (state only adds knowledge)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from applykit import Product, run, write_catalog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SKUS = ("P-1", "P-2", "P-3", "P-4")
CATEGORY = {"P-1": "Shirts", "P-2": "Shirts", "P-3": "Hats", "P-4": None}  # fixed per sku: no replacement
IMAGES = tuple(f"https://img.example/{n}.png" for n in range(4))
HOOKS = {"orders": ("https://hooks.example/o1", "https://hooks.example/o2"),
         "refunds": ("https://hooks.example/r1", "https://hooks.example/r2")}


@st.composite
def products(draw: st.DrawFn, sku: str) -> Product:
    return Product(
        sku=sku,
        title=draw(st.sampled_from([f"Product {sku}", f"New {sku}"])),
        price=draw(st.sampled_from(["10.00", "12.50", "19.99"])),
        category=CATEGORY[sku],
        tags=draw(st.lists(st.sampled_from(["red", "blue", "sale"]), unique=True, max_size=2)),
        images=draw(st.lists(st.sampled_from(IMAGES), unique=True, max_size=2)),
        sizes=draw(st.lists(st.sampled_from(["S", "M", "L"]), unique=True, max_size=3)),
        active=draw(st.booleans()),
    )


@st.composite
def catalogs(draw: st.DrawFn) -> tuple[list[Product], dict[str, str]]:
    chosen = draw(st.lists(st.sampled_from(SKUS), unique=True, min_size=1, max_size=3))
    hooks = {name: draw(st.sampled_from(urls)) for name, urls in HOOKS.items() if draw(st.booleans())}
    return [draw(products(sku)) for sku in sorted(chosen)], hooks


def write(directory: Path, catalog: tuple[list[Product], dict[str, str]]) -> Path:
    return write_catalog(directory, catalog[0], categories=("Shirts", "Hats"), webhooks=catalog[1])


def plan_json(directory: Path) -> dict[str, object]:
    result = run("plan", directory, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def unsupported(plan: dict[str, object]) -> set[str]:
    return {c["address"] for c in plan["changes"] if c["action"] == "unsupported"}  # type: ignore[index,union-attr]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=catalogs(), b=catalogs())
def test_apply_a_then_b_converges_to_b(a: tuple[list[Product], dict[str, str]],
                                       b: tuple[list[Product], dict[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shop = write(Path(tmp) / "shop", a)
        first = run("apply", shop, "--auto-approve")
        assert first.exit_code == 0, first.output
        write(shop, b)
        announced = unsupported(plan_json(shop))
        second = run("apply", shop, "--auto-approve")
        assert second.exit_code == 0, second.output
        after = plan_json(shop)
        leftovers = {c["address"]: c for c in after["changes"]}  # type: ignore[union-attr]
        assert set(leftovers) == announced, json.dumps(after["changes"], indent=1)
        assert all(c["action"] == "unsupported" for c in leftovers.values())
        # Active products of A that B leaves out are left alone (no prune) and listed as unmanaged.
        left_out = {f'product["{p.sku}"]' for p in a[0] if p.active} - {f'product["{p.sku}"]' for p in b[0]}
        assert left_out <= set(after["unmanaged"])  # type: ignore[call-overload]
        shutil.rmtree(shop / ".catalogctl" / "state")
        fresh = plan_json(shop)
        assert {c["address"]: c["action"] for c in fresh["changes"]} == {  # type: ignore[union-attr]
            address: c["action"] for address, c in leftovers.items()}, json.dumps(fresh["changes"], indent=1)
        assert fresh["unmanaged"] == after["unmanaged"]
