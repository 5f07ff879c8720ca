"""Which store to import, and the imported catalog's own catalogctl.yaml.

The target is looked up in OUTDIR/catalogctl.yaml when OUTDIR has one, else in the current
directory's. No --target: the embedded sandbox of the current directory; the imported catalog
then gets a copy of that sandbox as its own embedded sandbox, so `catalogctl plan OUTDIR`
plans against the same data at once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from catalogctl.config.loader import TARGETS_FILE
from catalogctl.config.targets import EMBEDDED, Target, resolve_target, target_entry
from catalogctl.importer.emit import make_yaml
from catalogctl.importer.merge import same


def find_target(cwd: Path, outdir: Path, name: str | None) -> Target:
    """The target to read: from OUTDIR's catalogctl.yaml if it has one, else the current directory's."""
    if name is None or name == EMBEDDED:
        return Target(EMBEDDED, None, cwd)
    config_dir = outdir if (outdir / TARGETS_FILE).is_file() else cwd
    return resolve_target(config_dir, name)


def as_imported(target: Target, outdir: Path) -> Target:
    """The same store seen from the imported catalog (its state and embedded sandbox live in OUTDIR)."""
    return Target(target.name, target.config, outdir)


def write_target_entry(target: Target, outdir: Path) -> str | None:
    """Give OUTDIR what `catalogctl plan OUTDIR --target NAME` needs; the relative file written, if any."""
    if target.config is None:
        copy_sandbox(target.sandbox_db, as_imported(target, outdir).sandbox_db)
        return None
    path = outdir / TARGETS_FILE
    yaml = make_yaml()
    document = yaml.load(path.read_text(encoding="utf-8")) if path.is_file() else None
    if not isinstance(document, CommentedMap):
        document = CommentedMap()
    targets = document.get("targets")
    if not isinstance(targets, CommentedMap):
        targets = document["targets"] = CommentedMap()
    entry = target_entry(target.config)  # names of environment variables only, never their values
    if target.name in targets and same(targets[target.name], entry):
        return None
    targets[target.name] = entry
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(document, stream)
    return TARGETS_FILE


def copy_sandbox(source: Path, destination: Path) -> None:
    """A consistent copy of a SQLite sandbox (the backup API, safe while it is open elsewhere)."""
    if not source.is_file() or destination.exists():
        return  # nothing to copy, or OUTDIR's own sandbox (never overwritten)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(destination) as dst:
        src.backup(dst)
