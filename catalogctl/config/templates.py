"""Product templates: `templates:` holds named partial products; `template: NAME` on a product fills it in.

Templates are applied to the raw data, before the models see it, so a templated product is checked
by exactly the rules of a product written out in full. The merge: the product's keys win; mappings
merge key by key (a product can change one matrix price and keep the rest); lists and scalars are
replaced, except a list written `{add: [...]}`, which extends the template's. In a templated product
`{sku}`, `{title}` and `{slug}` are replaced in every string but the sku and title themselves.
Positions: a value that came from the template is reported at the template's line, and the message
names the product that used it (see `TemplateUses`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalogctl.config.loader import RawItem
from catalogctl.config.problems import Problem, error
from catalogctl.config.source import NodePath, Origin, PathItem, Position
from catalogctl.model.slug import slugify

TEMPLATE_KEY = "template"
ADD_KEY = "add"
_PRODUCT_PLACEHOLDER = re.compile(r"\{(sku|title|slug)\}")
_NOT_SUBSTITUTED = frozenset({"sku", "title", TEMPLATE_KEY})
_QUOTED = re.compile(r"'[^']*'")


@dataclass
class TemplateUses:
    """Positions inside templates that problems were reported at, and which products led there."""

    by_position: dict[Position, tuple[str, list[tuple[str, Position]]]] = field(default_factory=dict)

    def record(self, position: Position, template: str, sku: str, product: Position) -> None:
        _, users = self.by_position.setdefault(position, (template, []))
        if all(known != sku for known, _ in users):
            users.append((sku, product))

    def explain(self, problems: Iterable[Problem]) -> list[Problem]:
        """Problems at a template's line say which product used it; the same problem is said once."""
        seen: set[tuple[Position | None, str]] = set()
        explained = []
        for problem in problems:
            use = self.by_position.get(problem.position) if problem.position is not None else None
            # each product fills the template's placeholders in its own way: one report per template line
            key = (problem.position, _QUOTED.sub("'…'", problem.message) if use else problem.message)
            if key in seen:
                continue
            seen.add(key)
            if use is not None:
                template, users = use
                (sku, where), others = users[0], len(users) - 1
                more = f" and {others} other product{'s' if others != 1 else ''}" if others else ""
                problem = Problem(problem.position, problem.severity,
                                  f"{problem.message} (in template {template!r}, used by product {sku!r} at "
                                  f"{where}{more})", problem.hint)
            explained.append(problem)
        return explained


@dataclass(frozen=True, eq=False)
class TemplatedOrigin(Origin):
    """A templated product: paths the product wrote point into it, the rest into the template."""

    own: Any = None              # the product's own raw data (before the merge)
    template: Any = None         # the template's raw data
    template_name: str = ""
    template_origin: Origin | None = None
    uses: TemplateUses | None = None

    def at(self, path: Sequence[PathItem], *, key: bool = False) -> Position:
        inside = _template_path(self.own, self.template, tuple(path))
        if inside is None or self.template_origin is None:
            return super().at(path, key=key)
        position = self.template_origin.at(inside, key=key)
        if self.uses is not None:
            sku = self.own.get("sku") if isinstance(self.own, dict) else None
            self.uses.record(position, self.template_name, str(sku), super().at(()))
        return position


def _template_path(own: Any, template: Any, path: NodePath) -> NodePath | None:
    """The path inside the template when `path` leads to a value the template gave, else None."""
    inside: list[PathItem] = []
    for index, element in enumerate(path):
        if isinstance(element, str) and element.startswith("~"):
            continue  # a pydantic union tag, not a key
        if _is_add(own) and isinstance(element, int):
            base = template if isinstance(template, list) else []
            return (*inside, element) if element < len(base) else None
        if _has(own, element):
            own, template = own[element], _child(template, element)
            inside.append(element)
        elif _has(template, element):
            return (*inside, *path[index:])
        else:
            return None
    return None


def _child(data: Any, element: PathItem) -> Any:
    return data[element] if _has(data, element) else None


def _has(data: Any, element: PathItem) -> bool:
    if isinstance(data, dict):
        return element in data
    return isinstance(data, list) and isinstance(element, int) and 0 <= element < len(data)


def _is_add(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {ADD_KEY} and isinstance(value[ADD_KEY], list)


def merge(template: dict[str, Any], product: dict[str, Any]) -> dict[str, Any]:
    """The product's keys over the template's: mappings merged, `{add: [...]}` lists extended."""
    return _merge_maps({key: value for key, value in template.items() if key != "name"}, product)


def _merge_maps(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        below = merged.get(key)
        if _is_add(value):
            merged[key] = [*(below if isinstance(below, list) else []), *value[ADD_KEY]]
        elif isinstance(below, dict) and isinstance(value, dict):
            merged[key] = _merge_maps(below, value)
        else:
            merged[key] = value
    return merged


def fill_placeholders(data: dict[str, Any]) -> dict[str, Any]:
    """`{sku}`, `{title}` and `{slug}` (the sku in url form) replaced in every string but sku and title."""
    sku, title = str(data.get("sku", "")), str(data.get("title", ""))
    values = {"sku": sku, "title": title, "slug": slugify(sku)}

    def fill(value: Any) -> Any:
        if isinstance(value, str) and "{" in value:
            return _PRODUCT_PLACEHOLDER.sub(lambda match: values[match.group(1)], value)
        if isinstance(value, dict):
            return {key: fill(item) for key, item in value.items()}
        if isinstance(value, list):
            return [fill(item) for item in value]
        return value

    return {key: value if key in _NOT_SUBSTITUTED else fill(value) for key, value in data.items()}


@dataclass(frozen=True)
class Applied:
    """Products with their templates filled in, the templates that were well formed, and problems."""

    products: list[RawItem]
    templates: list[RawItem]
    problems: list[Problem]


def apply_templates(templates: list[RawItem], products: list[RawItem], uses: TemplateUses) -> Applied:
    """Fill in every product that names a template; report unknown templates and misplaced `{add:}`."""
    known, problems = _index(templates)
    applied = []
    for item in products:
        data = item.data
        name = data.get(TEMPLATE_KEY) if isinstance(data, dict) else None
        if name is None:
            stray = _stray_adds(item)
            problems += stray
            applied.append(item if not stray else RawItem({k: v for k, v in data.items() if not _is_add(v)},
                                                          item.origin))
            continue
        template = known.get(str(name).casefold())
        if template is None:
            problems.append(_unknown(item, str(name), known))
            continue
        merged = fill_placeholders(merge(template.data, data))
        origin = TemplatedOrigin(item.origin.file, item.origin.node, own=data, template=template.data,
                                 template_name=str(template.data["name"]), template_origin=template.origin, uses=uses)
        applied.append(RawItem(merged, origin))
    cleaned = [RawItem({k: v for k, v in t.data.items() if k != TEMPLATE_KEY}, t.origin)
               if isinstance(t.data, dict) and TEMPLATE_KEY in t.data else t for t in templates]
    return Applied(applied, cleaned, problems)


def _index(templates: list[RawItem]) -> tuple[dict[str, RawItem], list[Problem]]:
    known: dict[str, RawItem] = {}
    problems: list[Problem] = []
    for item in templates:
        data = item.data
        if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
            continue  # the template model reports the missing or odd name
        if TEMPLATE_KEY in data:
            problems.append(error(item.origin.at((TEMPLATE_KEY,), key=True), "a template cannot use another template",
                                  "copy what it needs from the other template, or put it in the products"))
            continue
        first = known.get(data["name"].casefold())
        if first is not None:
            problems.append(error(item.origin.at(("name",)), f"template {data['name']!r} is defined twice",
                                  f"it is first defined at {first.origin.position}"))
            continue
        known[data["name"].casefold()] = item
    return known, problems


def _unknown(item: RawItem, name: str, known: dict[str, RawItem]) -> Problem:
    names = [str(template.data["name"]) for template in known.values()]
    guess = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f"did you mean {guess[0]!r}?" if guess else (
        f"templates are {', '.join(sorted(names))}" if names else "define it under `templates:` in any catalog file")
    return error(item.origin.at((TEMPLATE_KEY,)), f"unknown template {name!r}", hint)


def _stray_adds(item: RawItem) -> list[Problem]:
    if not isinstance(item.data, dict):
        return []
    return [error(item.origin.at((key,)), f"{key}: {{add: [...]}} extends a template's list, but this product "
                  "uses no template", f"write the whole list (`{key}: [...]`), or name a template with `template:`")
            for key, value in item.data.items() if _is_add(value)]
