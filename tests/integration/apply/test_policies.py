"""Target policies against the sandbox over real HTTP: every policy is listed in every format, each
violation names the resource, the file:line of the value, the rule and the numbers; apply refuses
and only `--override-policy NAME` for that very policy lets it through (recorded in the report)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from applykit import served_sandbox, write_target
from guardkit import apply, plan, product, tee, variant_ids, write

from catalogctl.preview.html import esc

IMG = "https://cdn.example.com/a.jpg"


def _base(shop: Path) -> None:
    write(shop, tee("A", price="20.00", extra=f"cost: 8.00\nimages: ['{IMG}']") + tee("B", price="30.00",
          extra=f"images: ['{IMG}']"))


# policy settings, the catalog change that breaks it, and the expected violation line
CASES = {
    "max_price_change_percent": (
        {"max_price_change_percent": 30}, lambda s: s.replace("price: 20.00", "price: 27.00"),
        'max_price_change_percent: product["A"] (shop/catalog.yaml:10:12): price 20.00 -> 27.00 (+35.0%) moves '
        "more than 30%"),
    "min_price": (
        {"min_price": "5"}, lambda s: s.replace("price: 20.00", "price: 4.50"),
        'min_price: product["A"] (shop/catalog.yaml:10:12): price 4.50 is below the minimum 5.00'),
    "min_margin_percent": (
        {"min_margin_percent": 50}, lambda s: s.replace("price: 20.00", "price: 15.00"),
        'min_margin_percent: product["A"] (shop/catalog.yaml:10:12): margin 46.7% (price 15.00, cost 8.00) is '
        "below 50%"),
    "compare_at_above_price": (
        {"compare_at_above_price": True},
        lambda s: s.replace("price: 30.00", "price: 30.00\n    compare_at_price: 29"),
        'compare_at_above_price: product["B"] (shop/catalog.yaml:19:23): compare_at_price 29.00 is not above'
        " price 30.00"),
    "max_deactivations": (
        {"max_deactivations": 0}, lambda s: s.replace("price: 30.00", "price: 30.00\n    active: false"),
        'max_deactivations: product["B"] (shop/catalog.yaml:19:13): the plan deactivates 1 product, more than the 0'
        ' allowed: product["B"]'),
    "max_new_products": (
        {"max_new_products": 0}, lambda s: s + tee("C", extra=f"images: ['{IMG}']"),
        'max_new_products: product["C"] (shop/catalog.yaml:22:10): the plan creates 1 product, more than the 0'
        ' allowed: product["C"]'),
    "require_images": (
        {"require_images": True}, lambda s: s + tee("C"),
        'require_images: product["C"] (shop/catalog.yaml:22:5): an active product without an image'),
    "allowed_image_hosts": (
        {"allowed_image_hosts": ["*.example.com"]}, lambda s: s + tee("C", extra="images: ['https://evil.test/x.jpg']"),
        "allowed_image_hosts: product[\"C\"].image[0] (shop/catalog.yaml:28:14): image host 'evil.test' is not in "
        "allowed_image_hosts (*.example.com)"),
}


PER_VARIANT = {"max_price_change_percent", "min_price", "min_margin_percent", "compare_at_above_price"}


@pytest.mark.parametrize("name", list(CASES))
def test_each_policy_refuses_with_its_message_and_is_overridden_only_by_name(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings, edit, expected = CASES[name]
    monkeypatch.chdir(tmp_path)
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        _base(shop)
        write_target(shop, served.url, policies=settings)
        first = apply(shop, "--override-policy", name)  # creating the base may count (max_new_products)
        assert first.exit_code == 0, first.output
        catalog = shop / "catalog.yaml"
        catalog.write_text(edit(catalog.read_text()))

        document = json.loads(plan(shop, "--format", "json").stdout)
        assert document["policies"] == [name]
        found = [f"{v['policy']}: {v['address']} ({v['location']}): {v['message']}"
                 for v in document["policy_violations"]]
        assert found[0] == expected
        if name in PER_VARIANT:  # the matrix variants take the product's price: each is checked too
            assert [v["address"] for v in document["policy_violations"][1:]] == [
                f'{document["policy_violations"][0]["address"]}.variant["Size={size}"]' for size in ("M", "S")]
        else:
            assert len(found) == 1
        text = plan(shop).output
        count = f"{len(found)} violation{'s' if len(found) != 1 else ''}"
        assert f"Policy: 1 checked ({name}): {count}; apply refuses unless --override-policy {name}" in text
        assert f"  ✗ {expected}" in text
        markdown = plan(shop, "--format", "markdown").output
        assert "#### Policy" in markdown and markdown.index("#### Policy") < markdown.index("<details>")
        page = plan(shop, "--format", "html").stdout
        assert page.index('id="policy-h"') < page.index('class="change-card')  # before the details
        assert f"<li>✗ {esc(expected)}</li>" in page and f"--override-policy {name}" in page

        refused = apply(shop)
        assert refused.exit_code == 1 and expected in refused.output
        assert f"--override-policy {name}" in refused.output
        other = next(n for n in CASES if n != name)
        assert apply(shop, "--override-policy", other).exit_code == 1  # another policy's name lifts nothing
        assert apply(shop, "--override-policy", "no_such_policy").exit_code == 1
        report = tmp_path / "report.json"
        done = apply(shop, "--override-policy", name, "--report", report)
        assert done.exit_code == 0, done.output
        assert json.loads(report.read_text())["overridden_policies"] == [name]
        assert f"Policy: 1 checked ({name}): all pass." in plan(shop).output  # applied: nothing left to check


def test_policies_that_pass_are_listed_and_apply_goes_ahead(tmp_path: Path) -> None:
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        _base(shop)
        write_target(shop, served.url, policies={"min_price": 1, "max_new_products": 5})
        text = plan(shop).output
        assert "Policy: 2 checked (min_price, max_new_products): all pass." in text
        assert "<p>Policy: 2 checked (min_price, max_new_products): all pass.</p>" in plan(
            shop, "--format", "html").stdout
        assert apply(shop).exit_code == 0
        assert product(served.db, "A")[3] == 1


def test_a_matrix_gives_each_variant_its_own_cost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`cost:` in a matrix takes a base and adjustments like price: each variant's margin is its own."""
    monkeypatch.chdir(tmp_path)
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        write(shop, "  - sku: MUG\n    title: Mug\n    category: Shirts\n    price: 20.00\n    options: [Size]\n"
                    f"    images: ['{IMG}']\n    variants:\n      matrix: {{Size: [S, M]}}\n      sku: 'MUG-{{Size}}'\n"
                    "      price: {base: 20.00, adjust: {Size: {M: 5.00}}}\n"
                    "      cost: {base: 12.00, adjust: {Size: {M: 10.00}}}\n")
        write_target(shop, served.url, policies={"min_margin_percent": 30})
        document = json.loads(plan(shop, "--format", "json").stdout)
        found = [(v["address"], v["location"], v["message"]) for v in document["policy_violations"]]
        assert found == [('product["MUG"].variant["Size=M"]', "shop/catalog.yaml:16:14",
                          "margin 12.0% (price 25.00, cost 22.00) is below 30%")]  # S: 40%, the product: no cost
        assert apply(shop).exit_code == 1
        catalog = shop / "catalog.yaml"
        catalog.write_text(catalog.read_text().replace("M: 10.00", "M: 5.00"))  # M: 17.00 of 25.00, 32%
        assert apply(shop).exit_code == 0
        (mug_id, *_) = product(served.db, "MUG")
        assert len(variant_ids(served.db, mug_id)) == 2


def test_edges_a_price_up_from_zero_a_move_just_over_the_limit_and_a_zero_price_margin(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A price moving up from 0 has no percentage and passed every limit; +30.04% printed as +30.0%."""
    monkeypatch.chdir(tmp_path)
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        write(shop, tee("Z", price="0.00", extra=f"images: ['{IMG}']") + tee("P", price="100.00",
              extra=f"cost: 10.00\nimages: ['{IMG}']"))
        write_target(shop, served.url)
        assert apply(shop).exit_code == 0
        catalog = shop / "catalog.yaml"
        catalog.write_text(catalog.read_text().replace("price: 0.00", "price: 5.00")
                           .replace("price: 100.00", "price: 130.04"))
        write_target(shop, served.url, policies={"max_price_change_percent": 30})
        document = json.loads(plan(shop, "--format", "json").stdout)
        messages = {v["address"]: v["message"] for v in document["policy_violations"]}
        assert messages['product["Z"]'] == ("price 0.00 -> 5.00 moves up from zero (no percentage: more than "
                                            "any limit, 30% here)")
        assert messages['product["P"]'] == "price 100.00 -> 130.04 (+30.04%) moves more than 30%"
        catalog.write_text(catalog.read_text().replace("price: 130.04", "price: 0.00"))
        write_target(shop, served.url, policies={"min_margin_percent": 10})
        document = json.loads(plan(shop, "--format", "json").stdout)
        (margin,) = [v["message"] for v in document["policy_violations"] if v["address"] == 'product["P"]']
        assert margin == "price 0.00 leaves no margin over cost 10.00 (below 10%)"
