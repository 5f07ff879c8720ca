"""create_categories.json / list_categories.json against the doc's examples."""

from __future__ import annotations

from sandbox_helpers import Sandbox


def test_create_category_answers_the_whole_list(sandbox: Sandbox) -> None:
    sandbox.call("create_categories", category={"title": "Best deals"})
    answer = sandbox.call("create_categories", category={"title": "Test Category"})
    assert list(answer) == ["categories"]
    assert [c["title"] for c in answer["categories"]] == ["Best deals", "Test Category"]
    for category in answer["categories"]:
        assert list(category) == ["id", "title"]
        assert isinstance(category["id"], str) and category["id"].isdigit()


def test_categories_are_deduplicated_by_title_case_insensitively(sandbox: Sandbox) -> None:
    first = sandbox.call("create_categories", category=[{"title": "Shirts"}, {"title": "Hats"}])
    again = sandbox.call("create_categories", category=[{"title": "shirts"}, {"title": "Hats"}, {"title": "Mugs"}])
    assert [c["title"] for c in again["categories"]] == ["Shirts", "Hats", "Mugs"]
    assert again["categories"][:2] == first["categories"]


def test_list_categories_example(sandbox: Sandbox) -> None:
    sandbox.call("create_categories", category=[{"title": "Best deals"}, {"title": "Test Category"}])
    answer = sandbox.call("list_categories")
    assert [c["title"] for c in answer["categories"]] == ["Best deals", "Test Category"]
    assert all(isinstance(c["id"], str) for c in answer["categories"])


def test_category_not_created_body(sandbox: Sandbox) -> None:
    assert sandbox.call("create_categories", category={"title": "Bad; name"}) == {"error": "Category not created."}
    assert sandbox.call("create_categories") == {"error": "Category not created."}
    assert sandbox.call("create_categories", category={"title": "x" * 129}) == {"error": "Category not created."}


def test_categories_not_found_body(sandbox: Sandbox) -> None:
    assert sandbox.call("list_categories") == {"error": "Categories not found."}
