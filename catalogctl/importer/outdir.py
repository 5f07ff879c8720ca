"""Writing the catalog directory: refuse a non-empty OUTDIR, replace it with --force, or --merge.

The schema line of each file points at schemas/catalog.schema.json of the catalogctl checkout
when OUTDIR lies inside it (examples/ and tests do); anywhere else a copy is written to
OUTDIR/.schema/catalog.schema.json so the catalog's own git repository carries it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from catalogctl.config.loader import catalog_files
from catalogctl.errors import ConfigError
from catalogctl.importer.emit import SCHEMA_LINE, dump_fresh
from catalogctl.importer.merge import merge

REPO_ROOT = Path(__file__).resolve().parents[2]
REPO_SCHEMA = REPO_ROOT / "schemas" / "catalog.schema.json"
LOCAL_SCHEMA = Path(".schema") / "catalog.schema.json"


class Mode(StrEnum):
    FRESH = "fresh"   # OUTDIR missing or empty
    FORCE = "force"   # replace the catalog files in OUTDIR
    MERGE = "merge"   # update them in place


@dataclass
class WriteOutcome:
    written: list[str] = field(default_factory=list)    # relative paths created or changed
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)    # --force: old catalog files replaced
    not_in_store: list[str] = field(default_factory=list)
    schema: str = ""                                   # where the schema lines point (relative to OUTDIR)


def choose_mode(outdir: Path, *, force: bool, merge_: bool) -> Mode:
    """Refuse an OUTDIR that already holds catalog files unless --force or --merge says what to do."""
    if force and merge_:
        raise ConfigError("--force and --merge exclude each other",
                          hint="--force replaces the catalog files in OUTDIR; --merge updates them in place.")
    if outdir.exists() and not outdir.is_dir():
        raise ConfigError(f"{outdir} exists and is not a directory")
    # Only catalog files count: a fresh git clone (.git/, README.md) or a directory holding just
    # catalogctl.yaml (where the target is configured) is a fine place for a first import.
    if not outdir.exists() or next(catalog_files(outdir), None) is None:
        return Mode.FRESH
    if merge_:
        return Mode.MERGE
    if force:
        return Mode.FORCE
    raise ConfigError(
        f"{outdir} already holds a catalog; import will not overwrite it",
        hint="Use --merge to update the catalog there in place (keeps your comments), "
             "--force to replace its catalog files, or give an empty directory.",
    )


def schema_target(outdir: Path) -> Path:
    """The schema file the written files point at (inside the checkout, else OUTDIR/.schema/)."""
    resolved = outdir.resolve()
    if REPO_SCHEMA.is_file() and resolved.is_relative_to(REPO_ROOT):
        return REPO_SCHEMA
    return resolved / LOCAL_SCHEMA


def schema_line_paths(outdir: Path, relatives: list[str]) -> dict[str, str]:
    """relative file -> the path its `$schema=` line names (relative to the file, `/` separators)."""
    target = schema_target(outdir)
    resolved = outdir.resolve()
    return {
        relative: Path(os.path.relpath(target, (resolved / relative).parent)).as_posix() for relative in relatives
    }


def write_schema_copy(outdir: Path) -> None:
    """Put the schema in OUTDIR/.schema/ when the files point there (not inside the checkout)."""
    target = schema_target(outdir)
    if target == REPO_SCHEMA:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    text = REPO_SCHEMA.read_text(encoding="utf-8") if REPO_SCHEMA.is_file() else _generated_schema()
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def _generated_schema() -> str:
    from catalogctl.config.models import Catalog  # the schema is generated from the models

    return json.dumps(Catalog.model_json_schema(), indent=2) + "\n"


PROGRESS_EVERY = 1000  # files between progress lines on a large store


def write(outdir: Path, mode: Mode, files: dict[str, dict[str, list[dict[str, object]]]],
          extra_texts: dict[str, str], progress: Callable[[str], None] | None = None,
          unknown: Mapping[str, frozenset[str]] | None = None) -> WriteOutcome:
    """Write the documents (and extra ready-made bodies, e.g. commented-out products) per `mode`.

    `unknown` names, per sku, attributes the store did not report: --merge keeps the user's values.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    schema_paths = schema_line_paths(outdir, [*files, *extra_texts])
    outcome = WriteOutcome(schema=Path(os.path.relpath(schema_target(outdir), outdir.resolve())).as_posix())
    existing = list(catalog_files(outdir))
    extras = {path: SCHEMA_LINE.format(path=schema_paths[path]) + body for path, body in extra_texts.items()}
    texts: dict[str, Callable[[], str]]  # rendered one at a time: a large store never holds every text
    if mode is Mode.MERGE:
        merged = merge(outdir, files, schema_paths, existing, unknown or {})
        outcome.not_in_store = merged.not_in_store
        outcome.unchanged = sum(1 for path in existing if path.relative_to(outdir).as_posix() not in merged.texts)
        merged.texts.update({k: v for k, v in extras.items() if not (outdir / k).exists()})
        texts = {relative: _ready(text) for relative, text in merged.texts.items()}
    else:
        texts = {relative: _render(document, schema_paths[relative]) for relative, document in files.items()}
        texts.update({relative: _ready(text) for relative, text in extras.items()})
    for number, relative in enumerate(sorted(texts), start=1):
        if progress and number % PROGRESS_EVERY == 0:
            progress(f"  {number} of {len(texts)} files...")
        _put_file(outdir / relative, texts[relative](), relative, outcome)
    if mode is Mode.FORCE:  # only once the new files are all written: an import cut short loses nothing
        for path in existing:
            relative = path.relative_to(outdir).as_posix()
            if relative not in texts:
                path.unlink()
                outcome.removed.append(relative)
    write_schema_copy(outdir)
    return outcome


def _ready(text: str) -> Callable[[], str]:
    return lambda: text


def _render(document: dict[str, list[dict[str, object]]], schema_path: str) -> Callable[[], str]:
    return lambda: dump_fresh(document, schema_path)


def _put_file(path: Path, text: str, relative: str, outcome: WriteOutcome) -> None:
    """Write the file unless it already holds exactly this text (keeps mtimes and git status calm)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        outcome.unchanged += 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # Whole or not at all: an import killed mid-write must not leave a truncated product file, which
    # validate would read as fewer products and prune would then deactivate. (No fsync per file: this
    # guards against a killed process, and 10,000 fsyncs would slow an import down many times.)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    outcome.written.append(relative)
