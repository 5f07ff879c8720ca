"""Pydantic validation errors -> Problems with file:line:column and a "did you mean" hint."""

from __future__ import annotations

import difflib
import itertools
import re
import types
from collections.abc import Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError
from pydantic_core import ErrorDetails

from catalogctl.config.models import TAG_PREFIX
from catalogctl.config.problems import Problem, error
from catalogctl.config.source import NodePath, Origin, Position


def problems_from(exc: ValidationError, model: type[BaseModel], origin: Origin, section: str) -> list[Problem]:
    """One Problem per pydantic error of one section item, positioned inside that item's node."""
    return [_problem(details, model, origin, section) for details in exc.errors(include_url=False)]


def _problem(details: ErrorDetails, model: type[BaseModel], origin: Origin, section: str) -> Problem:
    loc = tuple(details["loc"])
    path = tuple(item for item in loc if not (isinstance(item, str) and item.startswith(TAG_PREFIX)))
    kind = details["type"]
    if kind == "missing":
        parent = path[:-1]
        owner = f"{label(parent)} is" if parent else f"this {SINGULAR.get(section, section)} is"
        return error(origin.at(parent), f"{owner} missing the required field {path[-1]!r}")
    if kind == "extra_forbidden":
        allowed = allowed_fields(model, loc[:-1])
        guess = difflib.get_close_matches(str(path[-1]), allowed, n=1, cutoff=0.6)
        hint = f"did you mean {guess[0]!r}?" if guess else (f"known fields: {', '.join(allowed)}" if allowed else None)
        return error(origin.at(path, key=True), f"unknown field {label(path)!r}", hint)
    is_key = bool(path) and path[-1] == "[key]"  # pydantic's location of a refused mapping key
    if is_key:
        path = path[:-1]
    where = origin.at(path, key=is_key)
    subject = label(path) if path else f"each item of {section}"
    if is_key:
        subject = f"a key of {label(path[:-1])}"
    if kind == "string_type" and (details.get("input") is None or isinstance(details.get("input"), bool)):
        return _not_text(where, subject, details.get("input"), item=bool(path) and isinstance(path[-1], int))
    if kind == "value_error":
        return error(where, f"{subject} {details.get('ctx', {}).get('error', details['msg'])}")
    if kind == "variants_shape":
        return error(where, details["msg"], "see the catalog format in the README")
    if kind == "too_short":  # pydantic's "should have at least 1 item after validation, not 0"
        return error(where, f"{subject} is empty", "give at least one item, or leave the key out")
    if kind in ("decimal_type", "decimal_parsing"):  # pydantic's wording names floats, which we refuse
        got = details.get("input")
        shown = f" (got {got!r})" if isinstance(got, str | int | bool) and len(repr(got)) <= 60 else ""
        return error(where, f"{subject} should be a number such as 24.99{shown}")
    return error(where, f"{subject} {_should(details)}")


def _not_text(where: Position, subject: str, value: bool | None, *, item: bool) -> Problem:
    """A boolean or null where text belongs: YAML read `true`/`null` as a value, so ask for quotes."""
    word = written_at(where)
    if value is None and not word:
        if item:
            return error(where, f"{subject} is an empty item", "give it a value or remove its `-` line")
        return error(where, f"{subject} is empty", "give it a value, or leave the key out if it is optional")
    shown = word or str(value).lower()
    if value is None:
        message = f"{subject} is text, but YAML reads {shown} as no value (null); quote it ('{shown}') if it is text"
    else:
        message = f"{subject} is text, but YAML reads {shown} as a boolean; quote it: '{shown}'"
    return error(where, message, "plain true, false, null and ~ are YAML values, not text; quotes keep what is written")


_WORD = re.compile(r"(?:true|false|True|False|TRUE|FALSE|null|Null|NULL|~)(?![^\s,\]}#])")


def written_at(position: Position) -> str:
    """The boolean or null word written at `position` in its file, '' if there is none (an empty value)."""
    try:
        with position.file.open(encoding="utf-8-sig") as lines:
            line = next(itertools.islice(lines, position.line - 1, None), "")
    except OSError:
        return ""
    match = _WORD.match(line, position.column - 1)
    return match.group(0) if match else ""


SINGULAR = {"categories": "category", "variant_groups": "variant group", "products": "product",
            "webhooks": "webhook"}


def _should(details: ErrorDetails) -> str:
    message = details["msg"]
    message = message[0].lower() + message[1:] if message else message
    message = message.replace("input should be", "should be").replace("Input should be", "should be")
    if details["type"] in ("dict_type", "model_type", "model_attributes_type"):
        message = "should be a mapping (`key: value` lines)"
    value = details.get("input")
    if isinstance(value, str | int | bool) and len(repr(value)) <= 60:
        message += f" (got {value!r})"
    elif isinstance(value, list):
        message += " (got a list)"
    return message


def label(path: NodePath) -> str:
    """`("variants", 2, "sku")` -> `variants[2].sku`."""
    text = ""
    for item in path:
        text += f"[{item}]" if isinstance(item, int) else (f".{item}" if text else str(item))
    return text


def allowed_fields(model: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    """The field names of the model reached by following `loc` from `model` (empty if not a model)."""
    current: Any = model
    for element in loc:
        current = _step(current, element)
        if current is None:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _step(tp: Any, element: Any) -> Any:
    tp = _unwrap(tp)
    if _is_union(tp):
        for member in get_args(tp):
            if any(isinstance(meta, Tag) and meta.tag == element for meta in getattr(member, "__metadata__", ())):
                return member
        return None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(element) if isinstance(element, str) else None
        return None if field is None else field.annotation
    args = get_args(tp)
    if get_origin(tp) is list and args:
        return args[0]
    if get_origin(tp) is dict and len(args) == 2:
        return args[1]
    return None


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
            continue
        if _is_union(tp):
            members = [arg for arg in get_args(tp) if arg is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)
