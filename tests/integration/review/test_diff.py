"""`catalogctl diff BASE [DIR]`: the catalog at a git revision against the working tree, no store."""

from __future__ import annotations

import json
from pathlib import Path

from reviewkit import edit, git, repo_with_example, run, snapshot

NEW_PRODUCT = """# yaml-language-server: $schema=../../../schemas/catalog.schema.json
products:
  - sku: MUG-01
    title: Enamel Mug
    category: Accessories
    price: 12.00
    tags: [mug]
    images:
      - https://cdn.teescape.example.com/products/mug/white.png
"""


def _pull_request(repo: Path) -> Path:
    """The edits of a typical pull request, left in the working tree."""
    shop = repo / "shop"
    hoodie = shop / "products" / "zip-hoodie.yaml"
    edit(hoodie, "    price: 49.00", "    price: 54.00")
    edit(hoodie, "        base: 49.00", "        base: 54.00")
    edit(hoodie, "tags: [fleece, winter, hoodie]", "tags: [fleece, winter, sale]")
    edit(hoodie, "zip-hoodie/navy.png", "zip-hoodie/navy-v2.png")
    (shop / "products" / "tote-bag.yaml").unlink()
    (shop / "products" / "mug.yaml").write_text(NEW_PRODUCT)
    edit(shop / "catalog.yaml", "webhooks:\n", "webhooks:\n  - name: product-updated\n"
         "    endpoint: https://hooks.teescape.example.com/groovekart/products\n")
    return shop


def test_diff_text_and_markdown_match_the_snapshots(tmp_path: Path) -> None:
    shop = _pull_request(repo_with_example(tmp_path))
    text = run("diff", "HEAD", shop, "--no-color")
    assert text.exit_code == 0, text.output
    snapshot("diff.txt", text.output)
    markdown = run("diff", "HEAD", shop, "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    snapshot("diff.md", markdown.output)


def test_diff_json_is_the_plan_document_shape_without_steps(tmp_path: Path) -> None:
    repo = repo_with_example(tmp_path)
    shop = _pull_request(repo)
    result = run("diff", "HEAD", shop, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["metadata"]["kind"] == "diff"
    assert document["metadata"]["base_commit"] == git(repo, "rev-parse", "HEAD").strip()
    assert document["steps"] == []
    actions = {c["address"]: c["action"] for c in document["changes"]}
    assert actions['product["MUG-01"]'] == "create"
    assert actions['product["AC-TOTE"]'] == "delete"
    assert actions['product["HD-ZIP"]'] == "update"
    assert actions['webhook["product-updated"]'] == "create"
    assert actions['product["HD-ZIP"].image[1]'] == "update"
    hoodie = next(c for c in document["changes"] if c["address"] == 'product["HD-ZIP"]')
    assert hoodie["before"]["price"] == "49" and hoodie["after"]["price"] == "54"


def test_no_differences_and_the_detailed_exit_code(tmp_path: Path) -> None:
    repo = repo_with_example(tmp_path)
    same = run("diff", "HEAD", repo / "shop", "--detailed-exitcode")
    assert same.exit_code == 0 and "No differences: the catalog is the same in both." in same.output
    _pull_request(repo)
    assert run("diff", "HEAD", repo / "shop", "--detailed-exitcode").exit_code == 2


def test_committed_changes_compare_against_an_older_revision(tmp_path: Path) -> None:
    repo = repo_with_example(tmp_path)
    _pull_request(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "pull request")
    result = run("diff", "HEAD~1", repo / "shop")
    assert result.exit_code == 0 and 'product["MUG-01"] added' in result.output
    assert "catalogctl diff HEAD~1..working tree" in result.output


def test_a_catalog_new_at_this_revision_is_all_added(tmp_path: Path) -> None:
    repo = repo_with_example(tmp_path)
    git(repo, "mv", "shop", "store")
    git(repo, "commit", "--quiet", "-m", "rename")
    result = run("diff", "HEAD~1", repo / "store")
    assert result.exit_code == 0, result.output
    assert "Diff: " in result.output and " 0 changed, 0 removed." in result.output


def test_an_unknown_revision_and_a_directory_outside_git_are_clear_errors(tmp_path: Path) -> None:
    repo = repo_with_example(tmp_path)
    unknown = run("diff", "origin/nope", repo / "shop")
    assert unknown.exit_code == 1
    assert "'origin/nope' is not a commit of the repository" in unknown.output
    assert "git fetch origin main" in unknown.output and "Traceback" not in unknown.output
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "store.yaml").write_text("categories:\n  - title: Shirts\n")
    result = run("diff", "HEAD", outside)
    assert result.exit_code == 1 and "is not inside a git repository" in result.output


def test_a_broken_catalog_at_base_says_which_side_is_broken(tmp_path: Path) -> None:
    repo = repo_with_example(tmp_path)
    edit(repo / "shop" / "products" / "tote-bag.yaml", "    price: 18.50\n", "")
    git(repo, "commit", "--quiet", "-am", "broken")
    git(repo, "revert", "--no-edit", "HEAD")
    result = run("diff", "HEAD~1", repo / "shop")
    assert result.exit_code == 1
    assert "the catalog at HEAD~1 is not valid" in result.output and "price" in result.output
