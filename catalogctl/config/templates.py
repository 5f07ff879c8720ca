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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalogctl.config.loader import RawItem
from catalogctl.config.problems import Problem, error
from catalogctl.config.source import NodePath, Origin, PathItem, Position
from catalogctl.model.slug import slugify

TEMPLATE_KEY = "template"
PREVIOUS_KEY = "previous_skus"  # a product's own history: a template cannot give it to every product
ADD_KEY = "add"
_PRODUCT_PLACEHOLDER = re.compile(r"\{(sku|title|slug)\}")
_NOT_SUBSTITUTED = frozenset({"sku", "title", TEMPLATE_KEY, PREVIOUS_KEY})
_QUOTED = re.compile(r"'[^']*'")


class TemplatePosition(Position):
    """A place in a template, remembering the template and the product whose value led there.

    It equals and sorts as the plain position (so one report per template line); `via` is the
    product's own line for the key it overrides, else the product's first line.
    """

    def __init__(self, position: Position, template: str, sku: str, via: Position) -> None:
        super().__init__(position.file, position.line, position.column)
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "sku", sku)
        object.__setattr__(self, "via", via)

    def _key(self) -> tuple[Path, int, int]:
        return (self.file, self.line, self.column)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Position) and self._key() == (other.file, other.line, other.column)

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: Position) -> bool:
        return self._key() < (other.file, other.line, other.column)

    def __le__(self, other: Position) -> bool:
        return self._key() <= (other.file, other.line, other.column)

    def __gt__(self, other: Position) -> bool:
        return self._key() > (other.file, other.line, other.column)

    def __ge__(self, other: Position) -> bool:
        return self._key() >= (other.file, other.line, other.column)


def explain(problems: Iterable[Problem]) -> list[Problem]:
    """Problems at a template's line name the products that led there, and are said once."""
    problems = list(problems)
    # No problem at a template's line (no product uses one, or none reached one): nothing to merge, each problem
    # kept in order, as the loop below keeps them; its regex per problem was 15 ms for 10,000 notes.
    if not any(isinstance(problem.position, TemplatePosition) for problem in problems):
        return problems
    return _merged(problems)


def _merged(problems: list[Problem]) -> list[Problem]:
    # each product fills the template's placeholders in its own way: one report per template line
    keyed = [(problem, (problem.position, _QUOTED.sub("'…'", problem.message))) for problem in problems]
    reached = {key for problem, key in keyed if isinstance(problem.position, TemplatePosition)}
    merged: dict[Any, tuple[Problem, list[TemplatePosition]]] = {}
    explained: list[Any] = []
    for problem, key in keyed:
        position = problem.position
        if not isinstance(position, TemplatePosition):
            if key not in reached:  # the template's own check found what its products also show
                explained.append(problem)
            continue
        if key not in merged:
            merged[key] = (problem, [])
            explained.append(key)
        users = merged[key][1]
        if all(user.sku != position.sku for user in users):
            users.append(position)
    return [item if isinstance(item, Problem) else _with_users(*merged[item]) for item in explained]


def _with_users(problem: Problem, users: list[TemplatePosition]) -> Problem:
    first, others = users[0], len(users) - 1
    more = f" and {others} other product{'s' if others != 1 else ''}" if others else ""
    message = (f"{problem.message} (in template {first.template!r}, used by product {first.sku!r} at "
               f"{first.via}{more})")
    return Problem(Position(first.file, first.line, first.column), problem.severity, message, problem.hint)


@dataclass(frozen=True, eq=False)
class TemplatedOrigin(Origin):
    """A templated product: paths the product wrote point into it, the rest into the template."""

    own: Any = None              # the product's own raw data (before the merge)
    template: Any = None         # the template's raw data
    template_name: str = ""
    template_origin: Origin | None = None

    def at(self, path: Sequence[PathItem], *, key: bool = False) -> Position:
        inside = _template_path(self.own, self.template, tuple(path))
        if inside is None or self.template_origin is None:
            return super().at(path, key=key)
        own = self.own if isinstance(self.own, dict) else {}
        top = next((element for element in path if not str(element).startswith("~")), None)
        via = super().at((top,), key=True) if top in own else super().at(())
        return TemplatePosition(self.template_origin.at(inside, key=key), self.template_name,
                                str(own.get("sku")), via)


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
        if value is None and key in merged:
            del merged[key]  # `key: null` drops what the template set: the field's default applies
        elif _is_add(value):
            merged[key] = [*(below if isinstance(below, list) else []), *value[ADD_KEY]]
        elif isinstance(below, dict) and isinstance(value, dict):
            merged[key] = _merge_maps(below, value)
        else:
            merged[key] = value
    return merged


def fill_placeholders(data: dict[str, Any]) -> dict[str, Any]:
    """`{sku}`, `{title}` and `{slug}` (the sku in url form) replaced in every string but sku and title."""
    sku, title = str(data.get("sku", "")), str(data.get("title", ""))
    return _substituted(data, {"sku": sku, "title": title, "slug": slugify(sku)})


def _substituted(data: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """`data` with each placeholder replaced by its value, in every string but sku and title."""
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


def apply_templates(templates: list[RawItem], products: list[RawItem]) -> Applied:
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
                                 template_name=str(template.data["name"]), template_origin=template.origin)
        applied.append(RawItem(merged, origin))
    cleaned = [RawItem(_checkable({k: v for k, v in t.data.items() if k not in (TEMPLATE_KEY, PREVIOUS_KEY)}),
                       t.origin) if isinstance(t.data, dict) else t for t in templates]
    return Applied(applied, cleaned, problems)


_SAMPLE = {"sku": "SKU", "title": "Title", "slug": "slug"}


def _checkable(data: dict[str, Any]) -> dict[str, Any]:
    """The template as its own model checks it: placeholders stand for plain sample text, since `{ }` is
    refused in names and tags (`vendor: "{title} Co"` is fine). Each product's filled-in values are checked
    again as that product, with the template's line in the message."""
    return _substituted(data, _SAMPLE)


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
        if PREVIOUS_KEY in data:
            problems.append(error(item.origin.at((PREVIOUS_KEY,), key=True),
                                  "previous_skus belongs to one product, not to a template",
                                  "a previous sku names one live product: list it under the product that had it"))
            item = RawItem({k: v for k, v in data.items() if k != PREVIOUS_KEY}, item.origin)
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
    # _is_add's first test asked first: most values are text, and a call for each was 80,000 calls at 10,000
    # products (15 ms)
    return [error(item.origin.at((key,)), f"{key}: {{add: [...]}} extends a template's list, but this product "
                  "uses no template", f"write the whole list (`{key}: [...]`), or name a template with `template:`")
            for key, value in item.data.items() if isinstance(value, dict) and _is_add(value)]
