"""The "read" of a Shoprocket target: the API has no read endpoint, so the live side is what state
recorded when catalogctl created each object. The plan says plainly what it cannot compare."""

from __future__ import annotations

from catalogctl.core import Facts, LiveState
from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.providers.shoprocket.wire import store_address, user_address

NO_RECORD = ("no record of a Shoprocket store or user in this target's state: Shoprocket's API has no read, so "
             "catalogctl can only compare the catalog with what it recorded when it created them. Apply creates "
             "what the catalog lists; one that already exists is refused by Shoprocket as taken (subdomain or "
             "email), recorded as existing, and left unchanged: never a duplicate.")


def live_from_state(facts: Facts) -> LiveState:
    """Resources from the state's records (`store:<subdomain>`, `staff_user:<email>`), with notes."""
    resources: ResourceMap = {}
    unknown: list[str] = []
    for key, record in sorted(facts.items()):
        kind, _, natural = key.partition(":")
        match kind:
            case "store":
                address = store_address(natural)
            case "staff_user":
                address = user_address(natural)
            case _:
                continue
        settings = record.get("settings")
        if not isinstance(settings, dict):
            unknown.append(str(address))
            settings = {}
        resources[address] = Resource(address, settings, live_id=record.get("id") or None)
    notes = [] if resources else [NO_RECORD]
    if unknown:
        notes.append(f"{', '.join(unknown)} already existed in Shoprocket when catalogctl created them (refused as "
                     "taken): their settings are unknown and not compared")
    return LiveState(resources=resources, notes=tuple(notes))
