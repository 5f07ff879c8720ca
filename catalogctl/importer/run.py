"""The import job without its edges: live state in, catalog directory and report out."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import get_args

from catalogctl.config.models import Visibility
from catalogctl.core import LiveState
from catalogctl.importer.documents import build
from catalogctl.importer.outdir import Mode, write
from catalogctl.importer.report import ImportReport, Skipped
from catalogctl.importer.templates import factor_templates, template_names
from catalogctl.importer.unkeyed import unkeyed_body, unkeyed_path
from catalogctl.model.address import Kind

Progress = Callable[[str], None]
EXPRESSIBLE_VISIBILITIES = frozenset(get_args(Visibility))


def write_live(live: LiveState, outdir: Path, mode: Mode, target: str, progress: Progress, *,
               templates: bool = False, write_only: Mapping[Kind, frozenset[str]] | None = None) -> ImportReport:
    """Write `live` as a catalog under `outdir` and say what was done (state is recorded by the caller).

    With `templates`, products that share a variant matrix are written against a template.
    """
    started = time.monotonic()
    report = ImportReport(target=target, outdir=outdir, mode=mode, requests=live.requests)
    progress(f"Writing {sum(1 for r in live.resources.values() if r.kind is Kind.PRODUCT)} products...")
    documents = build(live.resources, write_only)
    if templates:
        documents.files = factor_templates(documents.files)
        report.templates = template_names(documents.files.values())
    extras = {unkeyed_path(resource): unkeyed_body(resource) for resource in live.unkeyed}
    report.outcome = write(outdir, mode, documents.files, extras, progress, documents.unknown)
    progress(f"Wrote {len(report.outcome.written)} files ({report.outcome.unchanged} unchanged).")
    report.counts, report.matrices = documents.counts, documents.matrices
    report.unkeyed = [Skipped(r.live_id or "?", r.attrs.get("title", ""), file=unkeyed_path(r)) for r in live.unkeyed]
    report.shadowed = [Skipped(r.live_id or "?", r.attrs.get("title", ""), sku=r.attrs.get("sku", ""))
                       for r in live.shadowed]
    report.warnings = _warnings(live)
    report.seconds = time.monotonic() - started
    return report


def _warnings(live: LiveState) -> list[str]:
    """What the store holds that a catalog cannot say; the files name it as is, and will not validate."""
    found = []
    groups_of: dict[str, set[tuple[str, ...]]] = {}
    for resource in live.resources.values():
        if resource.kind is Kind.VARIANT and resource.address.parent is not None:
            groups = tuple(group for group, _ in resource.attrs["values"])
            groups_of.setdefault(resource.address.parent.key, set()).add(groups)
        if resource.kind is Kind.PRODUCT and resource.attrs.get("visibility") not in EXPRESSIBLE_VISIBILITIES:
            found.append(f"{resource.address}: visibility {resource.attrs.get('visibility')!r} cannot be written "
                         "in a catalog (both, search or none); choose one in the file")
    found += _duplicate_skus(live)
    for sku, sets in sorted(groups_of.items()):
        if len(sets) > 1:
            found.append(f'product["{sku}"]: its variants do not all use the same variant groups '
                         f"({' / '.join(', '.join(s) for s in sorted(sets))}); a catalog needs one set per "
                         "product, so fix the variants in the store or in the file")
    return found


def _duplicate_skus(live: LiveState) -> list[str]:
    """Skus used twice among products and variants: the store allows it, a catalog does not."""
    users: dict[str, list[str]] = {}
    for resource in live.resources.values():
        sku = resource.attrs.get("sku") if resource.kind in (Kind.PRODUCT, Kind.VARIANT) else None
        if sku:
            users.setdefault(sku, []).append(str(resource.address))
    return [f"sku {sku!r} is used by {' and '.join(sorted(where))}; skus must be unique in a catalog"
            for sku, where in sorted(users.items()) if len(where) > 1]
