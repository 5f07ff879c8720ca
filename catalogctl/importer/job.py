"""The import job: read the store through its provider, write the catalog, remember image urls."""

from __future__ import annotations

import time
from pathlib import Path

from catalogctl.core import Facts, LiveState
from catalogctl.importer.clashes import set_aside_clashes
from catalogctl.importer.documents import image_url
from catalogctl.importer.outdir import Mode
from catalogctl.importer.report import ImportReport
from catalogctl.importer.run import Progress, write_live
from catalogctl.model.address import Kind
from catalogctl.providers.base import Provider
from catalogctl.state.file import load_state


async def import_store(provider: Provider, facts: Facts, outdir: Path, mode: Mode, target: str,
                       state_path: Path, progress: Progress, *, templates: bool = False) -> ImportReport:
    """Read the live store and write it under `outdir`; records image source urls in `state_path`."""
    progress("Reading the live store...")
    started = time.monotonic()
    live, clashing = set_aside_clashes(await provider.read(facts), facts)  # a catalog needs every sku once
    read_seconds = time.monotonic() - started
    progress(f"Read {len(live.resources)} resources with {live.requests} requests in {read_seconds:.1f}s.")
    write_only = {kind: caps.write_only for kind, caps in provider.capabilities.items()}
    report = write_live(live, outdir, mode, target, progress, templates=templates, write_only=write_only)
    report.clashing = clashing
    report.images_recorded = record_images(live, facts, state_path, target)
    report.state_file = state_path
    report.seconds += read_seconds
    return report


def record_images(live: LiveState, facts: Facts, state_path: Path, target: str) -> int:
    """Remember each image's written url as its source, so the next plan does not upload it again.

    Facts already known (from the state of the store that was read) are carried over too.
    """
    state = load_state(state_path, target)
    state.merge(facts)
    images = {f"image:{r.live_id}": {"src": image_url(r)}
              for r in live.resources.values() if r.kind is Kind.IMAGE and r.live_id}
    # The adopted products: later plans keep managing these ids, not a later copy with the same sku.
    products = {f"product:{r.live_id}": {"managed": True}
                for r in live.resources.values() if r.kind is Kind.PRODUCT and r.live_id}
    state.merge(images)
    state.merge(products)
    state.save()
    return len(images)
