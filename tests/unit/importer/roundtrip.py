"""Helpers: write live resources as a catalog, load it back through the real loader."""

from __future__ import annotations

from pathlib import Path

from catalogctl.config import load_catalog
from catalogctl.importer.documents import build
from catalogctl.importer.outdir import Mode, write
from catalogctl.model.address import Address
from catalogctl.model.from_catalog import desired_resources
from catalogctl.model.resource import ResourceMap


def import_and_load(resources: ResourceMap, outdir: Path) -> ResourceMap:
    """What `desired_resources(load_catalog(...))` makes of the files import writes for `resources`."""
    documents = build(resources)
    write(outdir, Mode.FRESH, documents.files, {})
    return desired_resources(load_catalog(outdir))


def differences(expected: ResourceMap, actual: ResourceMap) -> list[str]:
    """Readable attribute differences by address (empty when the maps carry the same resources)."""
    found = []
    addresses: set[Address] = set(expected) | set(actual)
    for address in sorted(addresses):
        want = dict(expected[address].attrs) if address in expected else None
        got = dict(actual[address].attrs) if address in actual else None
        if want != got:
            found.append(f"{address}: expected {want}, got {got}")
    return found
