"""`import --templates`: products that share a variant matrix get a template holding what they share.

Products are grouped by their matrix with their own sku and slug written as `{sku}`/`{slug}`; a
group of two or more gets a template of every value its products agree on, and each product keeps
only what differs. A product is rewritten only when expanding it again (config.templates) gives
back exactly what import read, so the round trip can never plan a change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from catalogctl.config.templates import fill_placeholders, merge
from catalogctl.importer.emit import FlowList, FlowMap
from catalogctl.model.slug import slugify

TEMPLATES_FILE = "templates.yaml"
_ATOMIC = frozenset({"matrix", "options", "tags"})  # compared whole: a partial one would reorder its keys
_OWN = ("sku", "title")
_MISSING = object()

Files = dict[str, dict[str, list[dict[str, Any]]]]


def factor_templates(files: Files) -> Files:
    """The same catalog, with a template per group of products sharing a matrix (templates.yaml)."""
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for path, document in files.items():
        items = document.get("products", [])
        if len(items) == 1 and isinstance(items[0].get("variants"), dict):
            key = repr(_generic(items[0].get("variants"), items[0]["sku"]))
            groups.setdefault(key, []).append((path, items[0]))
    templates: list[dict[str, Any]] = []
    out = dict(files)
    names: set[str] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        template = _template([item for _, item in members], _name(members[0][1], names))
        rewritten = {path: _product(item, template) for path, item in members}
        if sum(1 for item in rewritten.values() if item is not None) < 2:
            continue
        templates.append(template)
        out.update({path: {"products": [item]} for path, item in rewritten.items() if item is not None})
    if templates:
        out[TEMPLATES_FILE] = {"templates": templates}
    return out


def _boundary(text: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(text)}(?![A-Za-z0-9])")


def _generic(value: Any, sku: str) -> Any:
    """`value` with the product's own sku and slug written as placeholders (whole words only)."""
    patterns = [(_boundary(sku), "{sku}")] + ([(_boundary(slugify(sku)), "{slug}")] if slugify(sku) else [])

    def walk(node: Any) -> Any:
        if isinstance(node, str):
            for pattern, placeholder in patterns:
                node = pattern.sub(placeholder, node)
            return node
        if isinstance(node, dict):
            return type(node)({key: walk(item) for key, item in node.items()}) if isinstance(node, FlowMap) else {
                key: walk(item) for key, item in node.items()}
        if isinstance(node, list):
            return FlowList(walk(item) for item in node) if isinstance(node, FlowList) else [walk(i) for i in node]
        return node

    return walk(value)


def _template(items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    generic = [{key: _generic(value, item["sku"]) for key, value in item.items() if key not in _OWN}
               for item in items]
    shared = _common(generic, None)
    return {"name": name, **(shared if isinstance(shared, dict) else {})}


def _common(values: list[Any], key: str | None) -> Any:
    if key not in _ATOMIC and all(isinstance(value, dict) for value in values):
        shared = {}
        for child in values[0]:
            if all(child in value for value in values):
                found = _common([value[child] for value in values], child)
                if found is not _MISSING:
                    shared[child] = found
        return (FlowMap(shared) if isinstance(values[0], FlowMap) else shared) if shared else _MISSING
    first = repr(values[0])
    return values[0] if all(repr(value) == first for value in values) else _MISSING


def _product(item: dict[str, Any], template: dict[str, Any]) -> dict[str, Any] | None:
    """The product as written against `template`, or None when expanding it would not give it back."""
    own = _differences(_generic(item, item["sku"]), template)
    written = {"sku": item["sku"], "title": item["title"], "template": template["name"]}
    written.update({key: item[key] for key in item if key in own and key not in _OWN})
    for key, value in own.items():
        if isinstance(value, dict) and key not in _ATOMIC and isinstance(item[key], dict):
            written[key] = _pick(item[key], value)
    expanded = fill_placeholders(merge(template, written))
    expanded.pop("template", None)
    return written if _same(expanded, item) else None


def _differences(product: dict[str, Any], template: dict[str, Any]) -> dict[str, Any]:
    different = {}
    for key, value in product.items():
        if key not in template:
            different[key] = value
        elif key not in _ATOMIC and isinstance(value, dict) and isinstance(template[key], dict):
            inner = _differences(value, template[key])
            if inner:
                different[key] = inner
        elif repr(value) != repr(template[key]):
            different[key] = value
    return different


def _pick(original: dict[str, Any], shape: dict[str, Any]) -> dict[str, Any]:
    """The parts of `original` that `shape` (a nested difference) names, with the original's values."""
    picked = {key: _pick(original[key], value) if isinstance(value, dict) and isinstance(original[key], dict)
              and key not in _ATOMIC else original[key] for key, value in shape.items()}
    return FlowMap(picked) if isinstance(original, FlowMap) else picked


def _same(expanded: dict[str, Any], item: dict[str, Any]) -> bool:
    return _plain(expanded) == _plain(item)  # key order of a product mapping means nothing


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _name(item: dict[str, Any], taken: set[str]) -> str:
    base = slugify(str(item.get("category") or "")) or "products"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name)
    return name


def template_names(files: Iterable[dict[str, Any]]) -> list[str]:
    """The templates a set of documents defines (for the import report)."""
    return [t["name"] for document in files for t in document.get("templates", [])]
