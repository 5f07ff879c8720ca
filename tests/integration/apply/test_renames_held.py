"""A held product over real HTTP (its sku and a previous sku both live, or several previous skus): the
plan changes nothing for it but never says the store matches; `--detailed-exitcode` exits 2; apply does
the rest and says the held product remains (adversarial review 14, M1)."""

from __future__ import annotations

import json
from pathlib import Path

from applykit import served_sandbox, write_target
from guardkit import apply, plan, product, rows, tee, write

HELD = "1 product held: the store has both its sku and a previous sku, or several previous skus"


def test_both_live_is_held_in_every_format_and_the_detailed_exitcode_is_2(tmp_path: Path) -> None:
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        write(shop, tee("TS-OLD") + tee("TS-NEW", sizes="[L]"))
        write_target(shop, served.url, prune=True)
        assert apply(shop).exit_code == 0
        assert plan(shop, "--detailed-exitcode").exit_code == 0  # the store matches: 0

        write(shop, tee("TS-NEW", price="30.00", extra="previous_skus: [TS-OLD]"))
        text = plan(shop, "--detailed-exitcode")
        assert text.exit_code == 2, text.output
        assert "No changes" not in text.output and "The store matches" not in text.output
        assert ("Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 0 unsupported; " + HELD) in text.output
        for fmt in ("markdown", "html", "json"):
            shown = plan(shop, "--format", fmt, "--detailed-exitcode")
            assert shown.exit_code == 2 and "No changes" not in shown.stdout, (fmt, shown.output)
        assert HELD in plan(shop, "--format", "markdown").stdout and HELD in plan(shop, "--format", "html").stdout
        document = json.loads(plan(shop, "--format", "json").stdout)
        assert document["changes"] == [] and document["held"] == ['product["TS-NEW"]']
        assert (document["summary"]["held"], document["summary"]["renamed"]) == (1, 0)

        saved = tmp_path / "plan.json"
        assert plan(shop, "--out", str(saved)).exit_code == 0
        from_file = apply(saved)  # nothing to carry out: it says the held product remains, not "No changes"
        assert from_file.exit_code == 0 and HELD in from_file.output and "No changes" not in from_file.output


def test_apply_does_the_rest_and_says_the_held_product_remains(tmp_path: Path) -> None:
    with served_sandbox(tmp_path) as served:
        shop = tmp_path / "shop"
        write(shop, tee("TS-A") + tee("TS-B"))
        write_target(shop, served.url)
        assert apply(shop).exit_code == 0
        write(shop, tee("TS-NEW", extra="previous_skus: [TS-A, TS-B]") + tee("TS-OTHER"))
        assert plan(shop, "--detailed-exitcode").exit_code == 2
        report = tmp_path / "report.json"
        result = apply(shop, "--report", str(report))
        assert result.exit_code == 0, result.output
        assert "Apply complete" in result.output
        assert 'held: 1 product left as it is' in result.output and 'product["TS-NEW"]' in result.output
        assert json.loads(report.read_text())["held"] == ['product["TS-NEW"]']
        assert product(served.db, "TS-OTHER")[3] == 1  # the rest was applied
        assert [r[0] for r in rows(served.db, "SELECT sku FROM product ORDER BY sku")] == ["TS-A", "TS-B", "TS-OTHER"]
        again = plan(shop, "--detailed-exitcode")
        assert again.exit_code == 2 and HELD in again.output  # still held, still not "No changes"

        write(shop, tee("TS-NEW", extra="previous_skus: [TS-A]") + tee("TS-OTHER"))  # the user picks one
        renamed = json.loads(plan(shop, "--format", "json").stdout)
        assert (renamed["summary"]["renamed"], renamed["summary"]["held"], renamed["held"]) == (1, 0, [])
