"""Resources: a kind plus normalized attributes, the same shape for desired and live."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from catalogctl.model.address import Address, Kind


@dataclass(frozen=True)
class Resource:
    """One catalog object. `attrs` are normalized (Decimal money, sorted tags, tuples).

    `live_id` is the store's id for a live resource (None for desired ones); it is never
    compared, only used by a provider to address its calls.
    """

    address: Address
    attrs: Mapping[str, Any]
    live_id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if not isinstance(self.attrs, MappingProxyType):
            object.__setattr__(self, "attrs", MappingProxyType(dict(self.attrs)))
        if not isinstance(self.extra, MappingProxyType):
            object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))

    @property
    def kind(self) -> Kind:
        return self.address.kind


ResourceMap = dict[Address, Resource]
"""Desired or live catalog: address -> resource."""
