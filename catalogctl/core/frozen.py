"""The base of the frozen pydantic records a large plan holds by the hundred thousand (changes, steps,
provider actions): what one record costs beyond its own fields is kept small."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, model_validator

_FIELDS_SETS: dict[frozenset[str], set[str]] = {}

R = TypeVar("R", bound=BaseModel)


class LeanFrozen(BaseModel):
    """Frozen, no extra fields. pydantic gives every instance its own set of the fields it was given
    (~700 bytes for 5 or more): a frozen record never changes it, so records with the same set share
    one (a 10,000-product plan's 100,000 variant specs and 110,000 changes hold a handful)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="after")
    def _share_fields_set(self) -> Any:
        given = self.__pydantic_fields_set__
        object.__setattr__(self, "__pydantic_fields_set__", _FIELDS_SETS.setdefault(frozenset(given), given))
        return self


def shared_fields_set(given: Iterable[str]) -> set[str]:
    """The one fields-set of records given these fields (see LeanFrozen); never to be written to."""
    names = frozenset(given)
    fields_set = _FIELDS_SETS.get(names)
    if fields_set is None:
        fields_set = _FIELDS_SETS.setdefault(names, set(names))
    return fields_set


def lean_record(cls: type[R], fields_set: set[str]) -> R:
    """An empty record of `cls` whose caller then sets every field, in field order, into its `__dict__`
    (`record.__dict__[name] = value`: a third of the cost of object.__setattr__ by name), each value
    already exactly what validation would make of it; `fields_set` from shared_fields_set.

    For records made by the hundred thousand from values the planner built itself (issue 13). The
    record's `__dict__` shares its key table with every other record of the class (a 9-field record's:
    144 bytes instead of pydantic's 272)."""
    record = _new(cls)
    _SET_FIELDS_SET(record, fields_set)
    _SET_EXTRA(record, None)
    _SET_PRIVATE(record, None)
    return record


def lean_fill(record: LeanFrozen, values: dict[str, Any], given: Iterable[str]) -> None:
    """Fill `record` with `values` that are already exactly what validation would make of them (every
    field, in field order; the caller checked their types), `given` being the fields the caller named.

    For records made by the hundred thousand from values the planner built itself (issue 13): about
    a third of the CPU of validating them (see lean_record)."""
    own = record.__dict__
    for name, value in values.items():
        own[name] = value
    _SET_FIELDS_SET(record, shared_fields_set(given))
    _SET_EXTRA(record, None)
    _SET_PRIVATE(record, None)


_new = object.__new__
# pydantic's own slots, written through their descriptors (object.__setattr__ by name costs more)
_SET_FIELDS_SET, _SET_EXTRA, _SET_PRIVATE = (
    BaseModel.__dict__[name].__set__ for name in ("__pydantic_fields_set__", "__pydantic_extra__",
                                                  "__pydantic_private__"))


def only_of_type(values: tuple[Any, ...], kind: type) -> bool:
    """all(type(value) is kind for value in values), told in C by the set of their types, without a generator
    step per value (a 10,000-product create plan's steps carry 120,000 addresses, its actions 100,000 variants)."""
    return not values or set(map(type, values)) == {kind}
