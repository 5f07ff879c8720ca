"""What a store can do, per resource kind: the data that turns differences into plan actions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from catalogctl.model.address import Kind


class DeleteMode(StrEnum):
    NONE = "none"            # the store cannot remove it: unsupported
    DELETE = "delete"        # removed for real (webhooks)
    DEACTIVATE = "deactivate"  # set inactive (products)


@dataclass(frozen=True)
class KindCapabilities:
    """What a store can do with one resource kind.

    An attribute in `in_place` changes with an update; in `replace` only by recreating the
    object (needs --allow-replace); in `write_only` the store never returns it, so it is
    compared only when state remembers it; any other attribute difference is unsupported,
    explained by `unsupported_reason` when the provider has more to say than the generic text.
    A `check_only` kind is never changed: each difference is a failed plan precondition and
    apply refuses (Shoplazza's shop facts: the target must be the shop the catalog is for).
    """

    create: bool
    delete: DeleteMode
    in_place: frozenset[str] = frozenset()
    replace: frozenset[str] = frozenset()
    write_only: frozenset[str] = frozenset()
    check_only: bool = False
    unsupported_reason: str | None = None


Capabilities = Mapping[Kind, KindCapabilities]
