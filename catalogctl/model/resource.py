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
    # The dict behind `attrs`, for the planner's hot loops: a read-only view costs a method call per
    # `.get` and a copy per encoding, and a 10,000-product plan reads 240,000 resources several times.
    # Nothing may write to it.
    plain: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        plain = dict(self.attrs)  # the caller's mapping (or another resource's view) is never shared
        object.__setattr__(self, "plain", plain)
        object.__setattr__(self, "attrs", MappingProxyType(plain))
        if not isinstance(self.extra, MappingProxyType):
            object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))

    @classmethod
    def owning(cls, address: Address, attrs: dict[str, Any], live_id: str | None = None,
               extra: dict[str, Any] | None = None) -> Resource:
        """A resource over dicts the caller built for it and hands over (wrapped read-only, not copied:
        a large plan builds 240,000 resources)."""
        resource = _new(cls)
        # The slots written directly: object.__setattr__ by name cost as much again (240,000 resources).
        _SET_ADDRESS(resource, address)
        _SET_ATTRS(resource, MappingProxyType(attrs))
        _SET_LIVE_ID(resource, live_id)
        _SET_EXTRA(resource, MappingProxyType(extra) if extra else _NOTHING)
        _SET_PLAIN(resource, attrs)
        return resource

    @property
    def kind(self) -> Kind:
        return self.address.kind


_new = object.__new__
_SET_ADDRESS, _SET_ATTRS, _SET_LIVE_ID, _SET_EXTRA, _SET_PLAIN = (
    Resource.__dict__[name].__set__ for name in ("address", "attrs", "live_id", "extra", "plain"))

ResourceMap = dict[Address, Resource]
"""Desired or live catalog: address -> resource."""
