"""Provider-neutral model: addresses, resources, money."""

from catalogctl.model.address import Address, Kind
from catalogctl.model.money import to_decimal
from catalogctl.model.resource import Resource, ResourceMap

__all__ = ["Address", "Kind", "Resource", "ResourceMap", "to_decimal"]
