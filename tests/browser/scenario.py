"""A realistic change to the applied pod-store example: a price rise, an added image, a poster size
dropped (two variants removed), a cheaper poster, and a category move (a blocked replacement)."""

from __future__ import annotations

from pathlib import Path


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{path.name}: expected {count} of {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    """Keys added at the end of a one-product file override what the product's template says."""
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def change_pod_store(directory: Path) -> None:
    products = directory / "products"
    # mug-monday uses the `mug` template: the product overrides its price and extends its images
    _append(products / "mug-monday.yaml", "    price: 16.99\n    variants: {price: {base: 16.99}}\n"
            "    images: {add: [\"https://images.example-pod.com/{slug}/handle.jpg\"]}\n")
    _edit(products / "pr-periodic.yaml", "Print Size: [8x10, 12x16, 18x24]", "Print Size: [12x16, 18x24]")
    _edit(products / "pr-periodic.yaml", "    price: 19.00", "    price: 17.00")
    _append(products / "hd-botanical.yaml", "    category: T-Shirts\n")  # over the `hoodie` template


def add_warning(directory: Path) -> None:
    """A compare-at price below the price: valid, but `validate` warns about it."""
    _append(directory / "products" / "mug-garden.yaml", "    compare_at_price: 1.00\n")
