"""The base of the frozen pydantic records a large plan holds by the hundred thousand (changes, steps,
provider actions): what one record costs beyond its own fields is kept small."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


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
