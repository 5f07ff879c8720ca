"""The GitHub workflow recipes pass actionlint, and actionlint really catches a broken workflow."""

from __future__ import annotations

from pathlib import Path

from actionlint_tool import lint
from runner import REPO

WORKFLOWS = sorted((REPO / "examples" / "ci" / "github").glob("*.yml"))


def test_the_recipes_pass_actionlint() -> None:
    assert [w.name for w in WORKFLOWS] == ["catalogctl-apply.yml", "catalogctl-drift.yml", "catalogctl-plan.yml"]
    assert lint(WORKFLOWS) == []


def test_actionlint_finds_what_a_careless_edit_breaks(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = (REPO / "examples" / "ci" / "github" / "catalogctl-plan.yml").read_text()
    broken.write_text(text.replace("${{ github.base_ref }}", "${{ github.base_reff }}")
                      .replace("run: catalogctl validate \"$CATALOG_DIR\"",
                               "run: echo \"${{ github.event.pull_request.title }}\""))
    problems = lint([broken])
    assert any("base_reff" in p for p in problems), problems
    assert any("potentially untrusted" in p for p in problems), problems
