"""`--merge`: update an existing catalog directory in place, keeping the user's comments and order.

Existing items are found by identity wherever they live (a product may sit in any file);
their values are updated through ruamel.yaml's round-trip documents, unchanged values keep
their spelling and comments, new items go to the file a fresh import would use. Nothing the
user wrote is deleted: top-level items the store does not have are kept and reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from catalogctl.config.models import Product
from catalogctl.errors import ConfigError
from catalogctl.importer.emit import dump, make_yaml
from catalogctl.importer.unknowns import with_user_unknowns
from catalogctl.model.from_catalog import product_attrs, variant_attrs

IDENTITY = {"categories": "title", "variant_groups": "name", "products": "sku", "webhooks": "name"}
PREVIOUS = "previous_skus"
CATALOG_ONLY = (PREVIOUS, "lifecycle", "cost")  # a product's keys the store never holds: the user's stay
Documents = dict[str, dict[str, Any]]  # relative path -> {section: [items]}


@dataclass
class MergeResult:
    texts: dict[str, str] = field(default_factory=dict)          # relative path -> new text (changed only)
    not_in_store: list[str] = field(default_factory=list)        # "products: TS-OLD (products/ts-old.yaml)"
    updated: int = 0
    added: int = 0


@dataclass
class _Loaded:
    document: Any
    text: str          # as read ("" for a file this merge creates)
    header: str = ""   # the schema line of a file this merge creates


def merge(outdir: Path, documents: Documents, schema_paths: Mapping[str, str], files: list[Path],
          unknown: Mapping[str, frozenset[str]]) -> MergeResult:
    """Merge `documents` (what a fresh import would write) into the catalog files under `outdir`.

    `unknown`: per sku, attributes the store did not report; the user's values for them stay.
    """
    loaded = {path.relative_to(outdir).as_posix(): _load(path) for path in files}
    index = _index(loaded)
    result = MergeResult()
    colors = frozenset(group["name"] for document in documents.values()
                       for group in document.get("variant_groups", ()) if group.get("type") == "color")
    seen: set[tuple[str, str]] = set()
    for relative, document in documents.items():
        for section, items in document.items():
            for item in items:
                key = (section, str(item[IDENTITY[section]]))
                seen.add(key)
                if key in index:  # found under a previous sku (a rename not applied yet): that item is seen
                    _, found, position = index[key]
                    seen.add((section, str(found[position].get(IDENTITY[section]))))
                _place(key, item, relative, index, loaded, schema_paths, result, colors, unknown)
    for key, (relative, _, _) in sorted(index.items()):
        if key not in seen:
            result.not_in_store.append(f"{key[0]}: {key[1]} ({relative})")
    for relative, entry in loaded.items():
        if entry.document is None:
            continue  # only comments (e.g. a product without a sku, written commented out): kept as it is
        text = entry.header + _dump_existing(entry.document)
        if text != entry.text:
            result.texts[relative] = text
    return result


def _load(path: Path) -> _Loaded:
    text = path.read_text(encoding="utf-8")
    try:
        document = make_yaml().load(text)
    except YAMLError as exc:
        raise ConfigError(
            f"{path}: cannot merge into a file that is not valid YAML: {exc}",
            hint="Fix the file (catalogctl validate shows where), or import into a fresh directory.",
        ) from exc
    return _Loaded(document, text)


def _index(loaded: Mapping[str, _Loaded]) -> dict[tuple[str, str], tuple[str, CommentedSeq, int]]:
    """(section, identity) -> (file, the section's list, position) for every well-formed item."""
    index: dict[tuple[str, str], tuple[str, CommentedSeq, int]] = {}
    for relative, entry in loaded.items():
        if not isinstance(entry.document, CommentedMap):
            continue
        for section, key_name in IDENTITY.items():
            items = entry.document.get(section)
            if not isinstance(items, CommentedSeq):
                continue
            for position, item in enumerate(items):
                if isinstance(item, CommentedMap) and key_name in item:
                    index.setdefault((section, str(item[key_name])), (relative, items, position))
    for relative, items, position in list(index.values()):
        previous = items[position].get(PREVIOUS) if IDENTITY["products"] in items[position] else None
        for sku in previous if isinstance(previous, list) else ():
            # the store still has the product under its old sku: it is this item (the plan renames it)
            index.setdefault(("products", str(sku)), (relative, items, position))
    return index


def _place(key: tuple[str, str], item: dict[str, Any], relative: str,
           index: Mapping[tuple[str, str], tuple[str, CommentedSeq, int]],
           loaded: dict[str, _Loaded], schema_paths: Mapping[str, str], result: MergeResult,
           colors: frozenset[str], unknown: Mapping[str, frozenset[str]]) -> None:
    if key in index:
        _, items, position = index[key]
        if key[0] == "variant_groups":
            return  # the store cannot tell a group's type: the user's stays
        if key[0] == "products":
            item = with_user_unknowns(items[position], item, unknown.get(key[1], frozenset()))
            item = _with_catalog_only(items[position], item)
            if equivalent_products(items[position], item, colors):
                return  # written another way (a matrix, anchors, explicit prices): the user's form stays
        merged = update(items[position], item)
        if merged is not items[position]:
            items[position] = merged
        result.updated += 1
        return
    result.added += 1
    if relative not in loaded:
        loaded[relative] = _Loaded(CommentedMap(), "", dump({}, schema_paths.get(relative)).split("{}")[0])
    document = loaded[relative].document
    if not isinstance(document, CommentedMap):
        raise ConfigError(f"{relative}: cannot merge into a file that is not a mapping of sections",
                          hint="Move the file aside, or import into a fresh directory.")
    section = document.get(key[0])
    if not isinstance(section, list):
        section = document[key[0]] = CommentedSeq()
    section.append(item)


def _with_catalog_only(old: Any, new: dict[str, Any]) -> dict[str, Any]:
    """`new` (what the store has) with the user's catalog-only keys, and the user's sku when the store
    still has the product under one of its previous skus."""
    if not isinstance(old, Mapping):
        return new
    merged = {**new, **{name: old[name] for name in CATALOG_ONLY if name in old}}
    previous = old.get(PREVIOUS)
    if isinstance(previous, list) and str(new.get("sku")) in {str(sku) for sku in previous} and "sku" in old:
        merged["sku"] = old["sku"]
    return merged


def equivalent_products(old: Any, new: Mapping[str, Any], color_groups: frozenset[str]) -> bool:
    """Whether two product items declare the same product, images and variants."""
    try:
        first, second = Product.model_validate(_plain(old)), Product.model_validate(_plain(new))
    except (ValidationError, InvalidOperation, ValueError):
        return False
    groups = set(color_groups)
    return (product_attrs(first), first.images, variant_attrs(first, groups)) == (
        product_attrs(second), second.images, variant_attrs(second, groups))


def _plain(node: Any) -> Any:
    """Round-trip data as the catalog loader sees it (floats as Decimal from their digits)."""
    if isinstance(node, Mapping):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return [_plain(value) for value in node]
    if isinstance(node, float):
        return Decimal(repr(float(node)))
    if isinstance(node, str):
        return str(node)
    return node


def update(old: Any, new: Any) -> Any:
    """`new`'s values in `old`'s document: mappings updated key by key, equal values left as written."""
    if isinstance(old, CommentedMap) and isinstance(new, Mapping):
        for name in [name for name in old if name not in new]:
            del old[name]  # the store has the default there now; the key would only say otherwise
        for name, value in new.items():
            if name in old:
                merged = update(old[name], value)
                if merged is not old[name]:
                    old[name] = merged
            else:
                old[name] = value
        return old
    return old if same(old, new) else new


def same(old: Any, new: Any) -> bool:
    """Equal as catalog values: 24.990 and 24.99 are the same price; lists and maps element-wise."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return old.keys() == new.keys() and all(same(old[k], new[k]) for k in old)
    if isinstance(old, list) and isinstance(new, list | tuple):
        return len(old) == len(new) and all(same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new or (isinstance(old, bool) and isinstance(new, bool) and old == new)
    if isinstance(new, Decimal) and isinstance(old, int | float):
        try:
            return Decimal(str(old)) == new
        except InvalidOperation:
            return False
    return old == new and isinstance(old, str) == isinstance(new, str)


def _dump_existing(document: Any) -> str:
    if document is None:
        return ""
    return dump(document, None)
