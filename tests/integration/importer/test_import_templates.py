"""`import --templates`: products sharing a matrix are written against a template, and still plan clean."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.config import check_catalog
from catalogctl.model.from_catalog import desired_resources

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def run(*args: str) -> Result:
    main._register()
    return CliRunner().invoke(main.cli, list(args))


def plan_changes(outdir: str) -> list[dict[str, object]]:
    planned = run("plan", outdir, "--format", "json")
    assert planned.exit_code == 0, planned.output
    return json.loads(planned.stdout)["changes"]


def _resources(root: Path) -> dict[str, dict]:
    result = check_catalog(root)
    assert result.ok, "\n".join(map(str, result.problems))
    return {str(a): r.attrs for a, r in desired_resources(result.catalog).items()}


def test_import_with_templates_round_trips_pod_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shop = tmp_path / "shop"
    shutil.copytree(EXAMPLES / "pod-store", shop)
    monkeypatch.chdir(shop)
    assert run("apply", "--auto-approve").exit_code == 0
    plain = run("import", "../plain")
    templated = run("import", "../templated", "--templates")
    assert plain.exit_code == 0 and templated.exit_code == 0, templated.output
    assert "Templates (templates.yaml): " in templated.stdout
    written = (tmp_path / "templated" / "templates.yaml").read_text()
    assert written.count("  - name: ") == 4  # tees, hoodies, mugs, prints: one matrix each
    assert "{sku}-{Color}-{Size}" in written and "/{slug}/" in written
    tee = (tmp_path / "templated" / "products" / "tee-book-club.yaml").read_text()
    assert "template: t-shirts" in tee and "matrix" not in tee
    # exactly what the plain import says, and nothing to do against the store it came from
    assert _resources(tmp_path / "templated") == _resources(tmp_path / "plain")
    assert plan_changes("../templated") == []
    again = run("import", "../again", "--templates")
    assert again.exit_code == 0
    for path in (tmp_path / "templated").rglob("*.yaml"):
        assert path.read_bytes() == (tmp_path / "again" / path.relative_to(tmp_path / "templated")).read_bytes()


def test_templates_and_merge_exclude_each_other(tmp_path: Path) -> None:
    refused = run("import", str(tmp_path / "out"), "--templates", "--merge")
    assert refused.exit_code == 1 and "--templates writes a new catalog" in refused.output
