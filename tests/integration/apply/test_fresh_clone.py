"""A CI runner's fresh clone has no .catalogctl/: its plan against a store already applied is empty.

The store is a served sandbox over real HTTP named in catalogctl.yaml, so "fresh clone" is what it
is in CI: the catalog's files copied without .catalogctl/ (no state, no lock), the store untouched.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from applykit import SANDBOX_ENV, copy_example, run, served_sandbox, write_target

EXAMPLES = ("pod-store", "tshirt-shop")


def _importer_store() -> Any:
    """tests/integration/importer/store.py: a store filled through the API, not by catalogctl."""
    path = Path(__file__).resolve().parents[1] / "importer" / "store.py"
    spec = importlib.util.spec_from_file_location("importer_store", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fresh_clone(catalog: Path, dest: Path) -> Path:
    """What `git clone` gives a CI runner: the tracked files, no .catalogctl/."""
    shutil.copytree(catalog, dest, ignore=shutil.ignore_patterns(".catalogctl"))
    return dest


def plan_json(catalog: Path) -> dict[str, Any]:
    result = run("plan", catalog, "--target", "http", "--format", "json", env=SANDBOX_ENV)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_empty_plan(catalog: Path) -> dict[str, Any]:
    """Exit 0 with --detailed-exitcode, and the JSON plan agrees."""
    detailed = run("plan", catalog, "--target", "http", "--detailed-exitcode", "--no-color", env=SANDBOX_ENV)
    plan = plan_json(catalog)
    changes = [(c["address"], c["action"], c["before"], c["after"]) for c in plan["changes"]]
    assert detailed.exit_code == 0 and changes == [], (detailed.output, changes[:5])
    return plan


@pytest.mark.parametrize("example", EXAMPLES)
def test_apply_then_a_fresh_clone_plans_no_changes(example: str, tmp_path: Path) -> None:
    with served_sandbox(tmp_path) as served:
        shop = copy_example(example, tmp_path)
        write_target(shop, served.url)
        applied = run("apply", shop, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert applied.exit_code == 0, applied.output
        with_state = assert_empty_plan(shop)
        clone = fresh_clone(shop, tmp_path / "clone")
        assert not (clone / ".catalogctl").exists()
        plan = assert_empty_plan(clone)
        text = run("plan", clone, "--target", "http", "--no-color", env=SANDBOX_ENV).output
        markdown = run("plan", clone, "--target", "http", "--format", "markdown", env=SANDBOX_ENV).output
    # What could not be compared is said once per target, in every format; state knew the image sources.
    (note,) = [n for n in plan["notes"] if "source url of" in n]
    assert "images" in note and text.count(note) == 1
    assert markdown.count("> [!NOTE]") == len(plan["notes"]) and "source url of" in markdown
    # GrooveKart cannot check the catalog's `store:` facts: said once, not silently dropped.
    store_notes = [n for n in plan["notes"] if n.startswith("section `store`")]
    assert len(store_notes) == 1  # both examples state their store facts
    assert all("source url" not in n for n in with_state["notes"])
    if example == "pod-store":
        assert "option order of 25 products" in note


def test_embedded_sandbox_keeps_its_store_when_only_the_state_is_lost(tmp_path: Path) -> None:
    shop = copy_example("pod-store", tmp_path)
    assert run("apply", shop, "--auto-approve").exit_code == 0
    shutil.rmtree(shop / ".catalogctl" / "state")
    assert (shop / ".catalogctl" / "sandbox.sqlite").is_file()
    planned = run("plan", shop, "--detailed-exitcode", "--no-color")
    assert planned.exit_code == 0, planned.output
    assert "No changes. The store matches the catalog." in planned.output


def test_a_store_filled_by_someone_else_imported_then_cloned_plans_no_changes(tmp_path: Path) -> None:
    populate = _importer_store().populate  # the API-made store of the importer tests
    with served_sandbox(tmp_path) as served:
        async def fill() -> None:
            async with httpx.AsyncClient(base_url=f"{served.url}/api/") as raw:
                await populate(raw)

        asyncio.run(fill())
        adopted = tmp_path / "adopted"
        adopted.mkdir()
        write_target(adopted, served.url)
        imported = run("import", adopted, "--target", "http", "--merge", env=SANDBOX_ENV)
        assert imported.exit_code == 0, imported.output
        assert_empty_plan(adopted)
        clone = fresh_clone(adopted, tmp_path / "clone")
        assert_empty_plan(clone)
        # The same store imported again, from the clone: nothing to write.
        again = run("import", clone, "--target", "http", "--merge", env=SANDBOX_ENV)
        assert again.exit_code == 0, again.output
    files = sorted(p.relative_to(adopted) for p in adopted.rglob("*.yaml") if ".catalogctl" not in p.parts)
    assert files and all((adopted / f).read_bytes() == (clone / f).read_bytes() for f in files)


def _variant_pictures(db: Path, sku: str) -> dict[str, str]:
    """Colour value -> the source url of the image each of the product's variants shows."""
    import sqlite3

    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "select a.name, i.src from product p join variant v on v.id_product = p.id"
            " join variant_value vv on vv.id_variant = v.id join attribute a on a.id = vv.id_attribute"
            " join attribute_group g on g.id = a.id_group and g.name = 'Color'"
            " join variant_image vi on vi.id_variant = v.id join image i on i.id = vi.id_image"
            " where p.sku = ?", (sku,)).fetchall()
    return {colour: src.rsplit("/", 1)[-1] for colour, src in rows}


def test_images_reordered_on_a_fresh_clone_never_re_point_variants_to_the_wrong_picture(tmp_path: Path) -> None:
    with served_sandbox(tmp_path) as served:
        shop = copy_example("pod-store", tmp_path)
        write_target(shop, served.url)
        assert run("apply", shop, "--target", "http", "--auto-approve", env=SANDBOX_ENV).exit_code == 0
        before = _variant_pictures(served.db, "TEE-WAVE-BREAK")
        assert before == {"Black": "black.jpg", "White": "white.jpg", "Grey": "grey.jpg", "Navy": "navy.jpg"}
        clone = fresh_clone(shop, tmp_path / "clone")
        product = clone / "products" / "tee-wave-break.yaml"
        base = "      - https://images.example-pod.com/tee-wave-break/"
        text = product.read_text()
        order = f"{base}black.jpg\n{base}white.jpg\n{base}grey.jpg\n{base}navy.jpg\n"
        assert order in text
        product.write_text(text.replace(order, f"{base}white.jpg\n{base}black.jpg\n{base}navy.jpg\n{base}grey.jpg\n"))
        applied = run("apply", clone, "--target", "http", "--auto-approve", env=SANDBOX_ENV)
        assert applied.exit_code == 0, applied.output
        # the reorder cannot be seen without state (said in the plan's note); the pictures stay right
        assert _variant_pictures(served.db, "TEE-WAVE-BREAK") == before
        assert any("image of" in note for note in plan_json(clone)["notes"])
