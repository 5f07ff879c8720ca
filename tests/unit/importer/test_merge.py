"""--merge updates files in place (comments and order kept); --force replaces; otherwise refuse."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from catalogctl.config import load_catalog
from catalogctl.errors import ConfigError
from catalogctl.importer.documents import build
from catalogctl.importer.outdir import Mode, choose_mode, write
from catalogctl.model.address import Address
from catalogctl.model.from_catalog import desired_resources
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.providers.groovekart.capabilities import CAPABILITIES

from .roundtrip import differences
from .test_writer import live_as_written, store


def with_price(resources: ResourceMap, sku: str, price: str) -> ResourceMap:
    changed = dict(resources)
    address = Address.for_product(sku)
    changed[address] = Resource(address, {**resources[address].attrs, "price": Decimal(price)})
    return changed


def test_merge_keeps_comments_and_order_and_updates_values(tmp_path: Path) -> None:
    write(tmp_path, Mode.FRESH, build(store()).files, {})
    mug = tmp_path / "products/mug.yaml"
    edited = mug.read_text().replace("  - sku: MUG\n", "  # our best seller\n  - sku: MUG  # keep this sku\n")
    edited = edited.replace("    title: Mug\n    active: false\n", "    active: false\n    title: Mug\n")
    mug.write_text(edited)
    draft = "# drafts\nproducts:\n  - sku: DRAFT\n    title: Draft\n    price: 1\n"
    (tmp_path / "products/mine.yaml").write_text(draft)
    live = with_price(store(), "MUG", "13.50")
    outcome = write(tmp_path, choose_mode(tmp_path, force=False, merge_=True), build(live).files, {})
    text = mug.read_text()
    assert "  # our best seller\n  - sku: MUG  # keep this sku\n    active: false\n    title: Mug\n" in text
    assert "price: 13.5\n" in text
    assert outcome.written == ["products/mug.yaml"] and outcome.unchanged == 5
    assert outcome.not_in_store == ["products: DRAFT (products/mine.yaml)"]
    assert (tmp_path / "products/mine.yaml").read_text().startswith("# drafts\n")
    merged = desired_resources(load_catalog(tmp_path))
    merged.pop(Address.for_product("DRAFT"))
    assert differences(live_as_written(live), merged) == []


def test_merge_adds_new_products_and_items_where_a_fresh_import_would(tmp_path: Path) -> None:
    resources = store()
    write(tmp_path, Mode.FRESH, build({a: r for a, r in resources.items() if a.key != "MUG"
                                       and a.parent != Address.for_product("MUG")}).files, {})
    (tmp_path / "categories.yaml").write_text("categories:\n  - title: Shirts  # the main one\n")
    resources[Address.category("Mugs")] = Resource(Address.category("Mugs"), {"title": "Mugs"})
    outcome = write(tmp_path, Mode.MERGE, build(resources).files, {})
    assert sorted(outcome.written) == ["categories.yaml", "products/mug.yaml"]
    assert (tmp_path / "categories.yaml").read_text() == (
        "categories:\n  - title: Shirts  # the main one\n  - title: Mugs\n"
    )
    assert (tmp_path / "products/mug.yaml").read_text().startswith("# yaml-language-server: $schema=")


def test_merge_writes_nothing_when_nothing_changed(tmp_path: Path) -> None:
    write(tmp_path, Mode.FRESH, build(store()).files, {})
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.yaml")}
    outcome = write(tmp_path, Mode.MERGE, build(store()).files, {})
    assert outcome.written == [] and before == {p: p.read_bytes() for p in tmp_path.rglob("*.yaml")}


def test_outdir_with_catalog_files_is_refused_without_force_or_merge(tmp_path: Path) -> None:
    assert choose_mode(tmp_path / "new", force=False, merge_=False) is Mode.FRESH
    (tmp_path / ".git").mkdir()
    (tmp_path / "README.md").write_text("my shop")
    (tmp_path / "catalogctl.yaml").write_text("targets: {}\n")
    assert choose_mode(tmp_path, force=False, merge_=False) is Mode.FRESH  # a fresh clone with its targets
    (tmp_path / "shop.yaml").write_text("products: []\n")
    with pytest.raises(ConfigError, match="already holds a catalog; import will not overwrite it"):
        choose_mode(tmp_path, force=False, merge_=False)
    with pytest.raises(ConfigError, match="exclude each other"):
        choose_mode(tmp_path, force=True, merge_=True)


def test_force_replaces_catalog_files_but_keeps_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "old.yaml").write_text("products: []\n")
    outcome = write(tmp_path, choose_mode(tmp_path, force=True, merge_=False), build(store()).files, {})
    assert outcome.removed == ["old.yaml"] and not (tmp_path / "old.yaml").exists()
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_merge_keeps_an_equivalent_form_the_user_wrote(tmp_path: Path) -> None:
    write(tmp_path, Mode.FRESH, build(store()).files, {})
    tee = tmp_path / "products/ts-1.yaml"
    text = tee.read_text()
    assert "      price:\n        base: 24.99\n        adjust:\n          Size:\n            XL: 2\n" in text
    mine = text.replace("        base: 24.99\n        adjust:\n          Size:\n            XL: 2\n",
                        "        base: 26.99  # XL price\n        adjust:\n          Size: {S: -2, M: -2.00}\n")
    tee.write_text(mine)
    assert write(tmp_path, Mode.MERGE, build(store()).files, {}).written == []
    assert tee.read_text() == mine
    outcome = write(tmp_path, Mode.MERGE, build(with_price(store(), "TS-1", "25.99")).files, {})
    assert outcome.written == ["products/ts-1.yaml"] and "    price: 25.99\n" in tee.read_text()


# what import is handed: the write-only attributes of GrooveKart's capabilities
WRITE_ONLY = {kind: caps.write_only for kind, caps in CAPABILITIES.items()}


def test_merge_keeps_what_the_store_cannot_report(tmp_path: Path) -> None:
    """short_description (unknown to state), weight units and group types are the user's to keep."""
    live = store()
    mug = Address.for_product("MUG")
    live[mug] = Resource(mug, {**live[mug].attrs, "short_description": None})
    documents = build(live, WRITE_ONLY)
    write(tmp_path, Mode.FRESH, documents.files, {})
    mug_file, tee_file, groups = (tmp_path / "products/mug.yaml", tmp_path / "products/ts-1.yaml",
                                  tmp_path / "variant-groups.yaml")
    mug_file.write_text(mug_file.read_text()
                        .replace("    title: Mug\n", "    title: Mug\n    short_description: Handy.\n")
                        .replace("        sku: MUG-SMALL\n", "        sku: MUG-SMALL\n        weight_unit: kg\n"))
    tee_file.write_text(tee_file.read_text().replace("      sku: TS-1-{Color}-{Size}\n",
                                                     "      sku: TS-1-{Color}-{Size}\n      weight_unit: lb\n"))
    groups.write_text(groups.read_text().replace("name: Size\n    type: select", "name: Size\n    type: radio"))
    mine = {path: path.read_text() for path in (mug_file, tee_file, groups)}
    outcome = write(tmp_path, Mode.MERGE, documents.files, {}, unknown=documents.unknown)
    assert outcome.written == [] and {path: path.read_text() for path in mine} == mine
    price_changed = build(with_price(live, "MUG", "13"), WRITE_ONLY)
    write(tmp_path, Mode.MERGE, price_changed.files, {}, unknown=price_changed.unknown)
    text = mug_file.read_text()
    assert "    price: 13\n" in text and "short_description: Handy.\n" in text and "weight_unit: kg\n" in text


def test_merge_keeps_a_pending_rename_and_the_keys_the_store_never_holds(tmp_path: Path) -> None:
    """The catalog renamed MUG to MUG-2 (not applied yet): the store's MUG is that product, so it is
    merged into it (the user's sku, previous_skus, lifecycle and cost stay), never added as a second
    product whose sku would also be a previous sku (a catalog that fails validate)."""
    write(tmp_path, Mode.FRESH, build(store()).files, {})
    mug = tmp_path / "products/mug.yaml"
    mine = "  - sku: MUG-2\n    previous_skus: [MUG]\n    lifecycle: {protect: true}\n    cost: 4.10\n"
    mug.write_text(mug.read_text().replace("  - sku: MUG\n", mine))
    outcome = write(tmp_path, Mode.MERGE, build(with_price(store(), "MUG", "13.50")).files, {})
    text = mug.read_text()
    assert outcome.written == ["products/mug.yaml"] and outcome.not_in_store == []
    assert text.startswith("# yaml-language-server") and mine in text and "price: 13.5\n" in text
    catalog = load_catalog(tmp_path)  # valid: raises otherwise
    (renamed,) = [p for p in catalog.products if p.sku.startswith("MUG")]
    assert (renamed.sku, renamed.previous_skus, renamed.price) == ("MUG-2", ["MUG"], Decimal("13.5"))
    assert renamed.lifecycle is not None and renamed.lifecycle.protect and renamed.cost == Decimal("4.10")
