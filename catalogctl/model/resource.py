"""Resources: a kind plus normalized attributes, the same shape for desired and live."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from catalogctl.model.address import Address, Kind

_NOTHING: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Resource:
    """One catalog object. `attrs` are normalized (Decimal money, sorted tags, tuples).

    `live_id` is the store's id for a live resource (None for desired ones); it is never
    compared, only used by a provider to address its calls.
    """

    address: Address
    attrs: Mapping[str, Any]
    live_id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _NOTHING)  # one shared empty mapping

    def __post_init__(self) -> None:
        if not isinstance(self.attrs, MappingProxyType):
            object.__setattr__(self, "attrs", MappingProxyType(dict(self.attrs)))
        if not isinstance(self.extra, MappingProxyType):
            object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))

    @classmethod
    def owning(cls, address: Address, attrs: dict[str, Any], live_id: str | None = None,
               extra: dict[str, Any] | None = None) -> Resource:
        """A resource over dicts the caller built for it and hands over (wrapped read-only, not copied:
        a large plan builds 240,000 resources)."""
        return cls(address, MappingProxyType(attrs), live_id, MappingProxyType(extra) if extra else _NOTHING)

    @property
    def kind(self) -> Kind:
        return self.address.kind


ResourceMap = dict[Address, Resource]
"""Desired or live catalog: address -> resource."""
