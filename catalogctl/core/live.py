"""The live side of a plan: resources read from a store, the facts state keeps, live ids."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from catalogctl.model.address import Address
from catalogctl.model.resource import Resource, ResourceMap

Facts = Mapping[str, Mapping[str, Any]]
"""What state remembers that the store cannot return, keyed "image:<live id>" -> {"src": url},
"product:<live id>" -> {"short_description": ..., "options": [...]} (any product fact also says that
catalogctl created or adopted that id: it stays the managed one when another product shares its sku)."""

IdRegistry = MutableMapping[Address, str]
"""Address -> live id: seeded from the live read, extended by each step's result."""


@dataclass(frozen=True)
class LiveState:
    """The live store as resources, plus what could not be keyed."""

    resources: ResourceMap
    shadowed: tuple[Resource, ...] = ()   # products whose sku a preferred product already holds
    unkeyed: tuple[Resource, ...] = ()    # products without a sku: cannot be managed
    requests: int = 0                     # HTTP requests the read made
    notes: tuple[str, ...] = ()           # said once in the plan, e.g. "no record to compare with"
