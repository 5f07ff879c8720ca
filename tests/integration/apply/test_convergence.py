"""Convergence: for each kind of edit a user makes to examples/pod-store, a store holding the original
gets the edit applied; then the plan is empty with state AND without it (a fresh clone), and the
store (read straight from its SQLite file) holds exactly what the YAML says.

The original is applied once; each edit starts from a copy of that store and its state (the same
bytes a fresh apply would give), in process over httpx's ASGI transport; one edit runs over real HTTP.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from applykit import SANDBOX_ENV, copy_example, run, write_target
from storecheck import assert_store_holds

from catalogctl.sandbox import create_app, serve_in_thread

PRODUCTS = Path("products")


def sub(shop: Path, name: str, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in one catalog file; the edit must find what it changes."""
    path = shop / name
    text = path.read_text()
    assert text.count(old) >= count, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new))


def append(shop: Path, name: str, text: str) -> None:
    """Add keys at the end of a one-product file (its product's mapping)."""
    path = shop / name
    path.write_text(path.read_text() + text)


def prices(shop: Path) -> None:
    sub(shop, "products/tee-wave-break.yaml", "price: 24.99", "price: 26.49")
    sub(shop, "products/tee-wave-break.yaml", "base: 24.99", "base: 26.49")
    sub(shop, "products/tee-wave-break.yaml", "Size: {2XL: 3.00}", "Size: {XL: 1.50, 2XL: 3.50}")
    sub(shop, "products/pr-periodic.yaml", "Finish: {Glossy: 2.00}", "Finish: {Glossy: 3.00}", count=2)


def titles(shop: Path) -> None:
    sub(shop, "products/mug-bookworm.yaml", "title: Bookworm Mug", "title: Bookworm Mug (Reader's Edition)")


def tags(shop: Path) -> None:
    sub(shop, "products/tee-wave-break.yaml", "tags: [ocean, japanese art, surf]", "tags: [ocean, surf, hokusai]")
    sub(shop, "products/mug-garden.yaml", "tags: ", "tags: [] #", count=1)


def descriptions(shop: Path) -> None:
    sub(shop, "products/pr-periodic.yaml", "<p>The periodic table in muted pastel tones.</p>",
        "<p>The periodic table in <em>muted</em> pastel tones, 118 elements.</p>")


def add_image(shop: Path) -> None:
    sub(shop, "products/pr-periodic.yaml", "      - https://images.example-pod.com/pr-periodic/detail.jpg\n",
        "      - https://images.example-pod.com/pr-periodic/detail.jpg\n"
        "      - https://images.example-pod.com/pr-periodic/lifestyle.jpg\n")


def replace_image(shop: Path) -> None:
    sub(shop, "products/pr-periodic.yaml", "pr-periodic/detail.jpg", "pr-periodic/detail-v2.jpg")


def remove_image(shop: Path) -> None:
    sub(shop, "products/pr-periodic.yaml", "      - https://images.example-pod.com/pr-periodic/detail.jpg\n", "")


def reorder_images(shop: Path) -> None:
    sub(shop, "products/tee-wave-break.yaml",
        "      - https://images.example-pod.com/tee-wave-break/black.jpg\n"
        "      - https://images.example-pod.com/tee-wave-break/white.jpg\n",
        "      - https://images.example-pod.com/tee-wave-break/white.jpg\n"
        "      - https://images.example-pod.com/tee-wave-break/black.jpg\n")


def variant_images(shop: Path) -> None:
    sub(shop, "products/tee-wave-break.yaml", "Grey: https://images.example-pod.com/tee-wave-break/grey.jpg",
        "Grey: https://images.example-pod.com/tee-wave-break/white.jpg")


def default_variant(shop: Path) -> None:
    sub(shop, "products/tee-wave-break.yaml", "default: {Color: Black, Size: M}", "default: {Color: Navy, Size: L}")


def remove_variants(shop: Path) -> None:
    sub(shop, "products/tee-wave-break.yaml", "Size: [S, M, L, XL, 2XL]", "Size: [S, M, L, XL]")
    sub(shop, "products/tee-wave-break.yaml", "Size: {2XL: 3.00}", "Size: {XL: 1.00}")


def add_variants(shop: Path) -> None:
    sub(shop, "products/pr-periodic.yaml", "Print Size: [8x10, 12x16, 18x24]",
        "Print Size: [8x10, 12x16, 18x24, 24x36]")


def variant_skus(shop: Path) -> None:
    # mug-bookworm uses the `mug` template: the product overrides one key of the template's matrix
    append(shop, "products/mug-bookworm.yaml", '    variants: {sku: "MBW-{Color}-{Capacity}"}\n')


def option_removed(shop: Path) -> None:
    sub(shop, "products/pr-periodic.yaml", "options: [Print Size, Finish]", "options: [Print Size]")
    sub(shop, "products/pr-periodic.yaml", "        Finish: [Matte, Glossy]\n", "")
    sub(shop, "products/pr-periodic.yaml", "          Finish: {Glossy: 2.00}\n", "", count=2)
    sub(shop, "products/pr-periodic.yaml", '-{Print Size}-{Finish}"', '-{Print Size}"')
    sub(shop, "products/pr-periodic.yaml", "default: {Print Size: 12x16, Finish: Matte}",
        "default: {Print Size: 12x16}")


def colour_codes(shop: Path) -> None:
    # A value is one store object for the whole catalog: a new colour is a new value name.
    sub(shop, "products/tee-wave-break.yaml", '{value: Navy, color: "#1F2A44"}', '{value: Midnight, color: "#14213D"}')
    sub(shop, "products/tee-wave-break.yaml", "Navy: https://", "Midnight: https://")


def colour_code_of_a_value(shop: Path) -> None:
    # The store keeps the colour a value was first created with: unsupported, said, and never "fixed"
    # by recreating variants on every apply.
    for path in shop.rglob("*.yaml"):  # products and the templates they use
        path.write_text(path.read_text().replace('{value: Navy, color: "#1F2A44"}', '{value: Navy, color: "#22304F"}'))


def value_renames(shop: Path) -> None:
    sub(shop, "products/pr-periodic.yaml", "[Matte, Glossy]", "[Matte, Lustre]")
    sub(shop, "products/pr-periodic.yaml", "Finish: {Glossy: 2.00}", "Finish: {Lustre: 2.00}", count=2)


def compare_at_dropped(shop: Path) -> None:
    # the template sets compare-at prices; the product drops them with null
    append(shop, "products/mug-bookworm.yaml", "    compare_at_price: null\n    variants: {compare_at_price: null}\n")


def deactivate(shop: Path) -> None:
    sub(shop, "products/mug-space.yaml", "    title: ", "    active: false\n    title: ")


def webhooks(shop: Path) -> None:
    sub(shop, "store.yaml", "  - name: order-created\n", "  - name: order-paid\n")
    sub(shop, "store.yaml", "hooks/groovekart/product-updated", "hooks/v2/product-updated")
    (shop / "store.yaml").write_text((shop / "store.yaml").read_text() + (
        "  - name: refund-created\n    endpoint: https://fulfil.inkwellprint.example.com/hooks/refunds\n"))


def new_and_removed_products(shop: Path) -> None:
    (shop / "products/mug-space.yaml").unlink()
    text = (shop / "products/mug-garden.yaml").read_text()
    (shop / "products/mug-garden-xl.yaml").write_text(
        text.replace("MUG-GARDEN", "MUG-GARDEN-XL").replace("title: ", "title: XL ", 1))


def replace_fields(shop: Path) -> None:
    sub(shop, "products/pr-periodic.yaml", "category: Posters & Prints", "category: Mugs")
    sub(shop, "products/tee-wave-break.yaml", "    weight: 0.35\n", "    weight: 0.4\n    visibility: search\n")


@dataclass(frozen=True)
class Edit:
    edit: Callable[[Path], None]
    allow_replace: bool = False
    leftovers: frozenset[str] | None = frozenset()  # unsupported changes that stay (None: those announced)
    extra_images: tuple[tuple[str, int], ...] = ()    # images the store cannot delete
    colors: bool = True                               # False: the store keeps the old colours


EDITS = {
    "prices": Edit(prices), "titles": Edit(titles), "tags": Edit(tags), "descriptions": Edit(descriptions),
    "add_image": Edit(add_image), "replace_image": Edit(replace_image),
    "remove_image": Edit(remove_image, leftovers=frozenset({'product["PR-PERIODIC"].image[1]'}),
                         extra_images=(("PR-PERIODIC", 1),)),
    "reorder_images": Edit(reorder_images), "variant_images": Edit(variant_images),
    "default_variant": Edit(default_variant), "remove_variants": Edit(remove_variants),
    "add_variants": Edit(add_variants), "variant_skus": Edit(variant_skus), "option_removed": Edit(option_removed),
    "colour_codes": Edit(colour_codes), "value_renames": Edit(value_renames),
    "colour_code_of_a_value": Edit(colour_code_of_a_value, leftovers=None, colors=False),
    "compare_at_dropped": Edit(compare_at_dropped), "deactivate": Edit(deactivate), "webhooks": Edit(webhooks),
    "new_and_removed_products": Edit(new_and_removed_products),
    "replace_fields": Edit(replace_fields, allow_replace=True),
}


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/pod-store applied once to an embedded sandbox: catalog, store and state."""
    root = tmp_path_factory.mktemp("original")
    shop = copy_example("pod-store", root)
    applied = run("apply", shop, "--auto-approve")
    assert applied.exit_code == 0, applied.output
    return shop


def plan(shop: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = run("plan", shop, "--format", "json", *args, env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def changes(document: dict[str, Any]) -> dict[str, str]:
    return {c["address"]: c["action"] for c in document["changes"]}


def converge(shop: Path, db: Path, state_dir: Path, edit: Edit, *target: str, env: dict[str, str] | None = None
             ) -> None:
    edit.edit(shop)
    replace = ("--allow-replace",) if edit.allow_replace else ()
    before = plan(shop, *target, *replace, env=env)
    assert before["changes"], "the edit changes nothing"
    announced = {a for a, action in changes(before).items() if action == "unsupported"}
    assert announced == (edit.leftovers if edit.leftovers is not None else announced) and (
        announced or edit.leftovers is not None)
    applied = run("apply", shop, *target, "--auto-approve", *replace, env=env)
    assert applied.exit_code == 0, applied.output
    expected = {a: "unsupported" for a in announced}
    assert changes(plan(shop, *target, env=env)) == expected
    shutil.rmtree(state_dir)
    fresh = run("plan", shop, *target, "--detailed-exitcode", "--no-color", env=env)
    assert fresh.exit_code == (2 if expected else 0), fresh.output
    assert changes(plan(shop, *target, env=env)) == expected
    assert_store_holds(shop, db, extra_images=dict(edit.extra_images), colors=edit.colors)


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edit_converges_with_and_without_state(name: str, original: Path, tmp_path: Path) -> None:
    shop = tmp_path / "pod-store"
    shutil.copytree(original, shop)
    converge(shop, shop / ".catalogctl" / "sandbox.sqlite", shop / ".catalogctl" / "state", EDITS[name])


def test_an_edit_converges_over_real_http(original: Path, tmp_path: Path) -> None:
    shop = tmp_path / "pod-store"
    shutil.copytree(original, shop, ignore=shutil.ignore_patterns(".catalogctl"))
    db = tmp_path / "served.sqlite"
    shutil.copyfile(original / ".catalogctl" / "sandbox.sqlite", db)
    state = json.loads((original / ".catalogctl" / "state" / "embedded.json").read_text())
    (shop / ".catalogctl" / "state").mkdir(parents=True)
    (shop / ".catalogctl" / "state" / "http.json").write_text(json.dumps({**state, "target": "http"}))
    with serve_in_thread(create_app(db)) as url:
        write_target(shop, url)
        converge(shop, db, shop / ".catalogctl" / "state", Edit(remove_variants), "--target", "http",
                 env=SANDBOX_ENV)


def test_the_original_itself_plans_empty_on_a_fresh_store_copy(original: Path, tmp_path: Path) -> None:
    shop = copy_example("pod-store", tmp_path)
    shutil.copytree(original / ".catalogctl", shop / ".catalogctl")
    assert run("plan", shop, "--detailed-exitcode").exit_code == 0
    assert_store_holds(shop, shop / ".catalogctl" / "sandbox.sqlite")
