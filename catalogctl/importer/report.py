"""What an import did, for people: counts, products it could not manage, the image note."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from catalogctl.importer.outdir import Mode, WriteOutcome
from catalogctl.importer.unkeyed import HOW_TO


@dataclass(frozen=True)
class Skipped:
    """A live product import could not write as a managed product."""

    live_id: str
    title: str
    sku: str = ""
    file: str | None = None  # where it was written commented out
    clash: str = ""          # why it was left out: the sku it shares with a product that was written


@dataclass
class ImportReport:
    target: str
    outdir: Path
    mode: Mode
    counts: dict[str, int] = field(default_factory=dict)
    matrices: int = 0
    unkeyed: list[Skipped] = field(default_factory=list)
    shadowed: list[Skipped] = field(default_factory=list)
    clashing: list[Skipped] = field(default_factory=list)  # sharing a variant's sku with a written product
    outcome: WriteOutcome = field(default_factory=WriteOutcome)
    images_recorded: int = 0
    state_file: Path | None = None
    requests: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)  # --templates: the templates written

    def render(self) -> str:
        """The final report printed after an import."""
        counts = ", ".join(_count(n, kind) for kind, n in self.counts.items())
        lines = [
            f"Imported target {self.target!r} into {self.outdir} ({self.mode.value}): {counts}.",
            f"{_count(self.matrices, 'products')} written with the matrix shorthand, the others with explicit "
            "variant lists.",
            f"Files: {len(self.outcome.written)} written, {self.outcome.unchanged} unchanged"
            + (f", {len(self.outcome.removed)} old catalog files removed (--force)" if self.outcome.removed else "")
            + f"; schema lines point at {self.outcome.schema}.",
            *([f"Templates (templates.yaml): {', '.join(self.templates)}; `catalogctl show product SKU` "
               "prints a product with its template applied."] if self.templates else []),
            f"Read the store with {self.requests} requests in {self.seconds:.1f}s.",
        ]
        if self.images_recorded:
            lines.append(
                f"Images: the store does not return the source url an image was uploaded from, so the files name "
                f"the live urls of {self.images_recorded} images; they are recorded in {self.state_file} so the "
                "next plan does not upload them again. Replace a url with your own source when you want that "
                "image re-uploaded."
            )
        if self.unkeyed:
            lines.append(f"Products without a sku, which cannot be managed (written commented out): "
                         f"{len(self.unkeyed)}")
            lines += _capped([f"  - live id {s.live_id}: {s.title!r} -> {s.file}" for s in self.unkeyed])
            lines += [f"  {line}" for line in HOW_TO.splitlines()]
        if self.shadowed:
            lines.append("Products sharing a sku with another product, not written (the one state knows, else the "
                         "oldest active, else the newest inactive, is the one the catalog manages): "
                         f"{len(self.shadowed)}")
            lines += _capped([f"  - live id {s.live_id}: sku {s.sku!r}, {s.title!r}" for s in self.shadowed])
        if self.clashing:
            lines.append("Products sharing a variant's sku with a product that was written, not written (a catalog "
                         f"needs every sku once; they stay in the store, unmanaged): {len(self.clashing)}")
            lines += _capped([f"  - live id {s.live_id}: product[{s.sku!r}], {s.title!r}: {s.clash}"
                              for s in self.clashing])
        if self.outcome.not_in_store:
            lines.append("In the catalog but not in the store (kept as you wrote them):")
            lines += _capped([f"  - {entry}" for entry in self.outcome.not_in_store])
        lines += _capped([f"Warning: {warning}" for warning in self.warnings])
        return "\n".join(lines) + "\n"


LIST_LIMIT = 20  # a store with thousands of sku-less products still gets a readable report


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= LIST_LIMIT:
        return lines
    return [*lines[:LIST_LIMIT], f"  ... and {len(lines) - LIST_LIMIT} more"]


def _count(number: int, plural: str) -> str:
    """`1 product`, `2 products`, `1 variant group`."""
    return f"{number} {plural.removesuffix('s') if number == 1 else plural}"
