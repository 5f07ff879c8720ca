"""Find a catalog's files: every *.yaml / *.yml under the directory, and a Problem for every path that cannot be.

Nothing is skipped silently, because a `products/` directory missing from the catalog plus `prune: true`
would deactivate real products: a directory that cannot be listed, a broken symlink, a symlink loop or
a `*.yaml` that is not a regular file (a FIFO, a device such as /dev/zero) is an error naming the path.
Symlinks to directories are followed (a catalog may share product files with another through a link);
each real directory is walked once, and a link back into a directory already being walked, or to one
that holds the catalog (`/`, the home directory), is an error; so is a walk past MAX_DIRECTORIES.
Hidden directories (`.git/`, `.catalogctl/`, `.venv/`) are never walked. `.yaml` and `.yml` match in
any case (`P1.YAML` is read, not dropped). `catalogctl.yaml` at the root holds targets; one below it
(a nested catalog?) is an error rather than a file read as products or skipped.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from catalogctl.config.problems import Problem, error
from catalogctl.config.source import Position, display_path

TARGETS_FILE = "catalogctl.yaml"
EXTENSIONS = (".yaml", ".yml")
MAX_DIRECTORIES = 10_000
"""Directories one catalog may span: a link out to a large tree must not make validate read the machine."""


@dataclass
class Walk:
    """The catalog files found (sorted) and the paths that could not be walked."""

    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def refuse(self, path: Path, message: str, hint: str) -> None:
        self.problems.append(error(Position(path, 1, 1), message, hint))


def walk_catalog(root: Path) -> Walk:
    """Every catalog file under `root` (a directory), with a Problem for each path that could not be read."""
    walk = Walk()
    seen: dict[tuple[int, int], Path] = {}
    holders = _holders(root)
    pending = [root]
    while pending:
        directory = pending.pop()
        try:
            identity = os.stat(directory)
        except OSError as exc:
            walk.refuse(directory, f"cannot read the directory: {_reason(exc)}", "check that it exists and is readable")
            continue
        key = (identity.st_dev, identity.st_ino)
        if key in seen or (key in holders and directory != root):
            where = display_path(seen[key]) if key in seen else f"{holders[key]}, which holds the catalog"
            walk.refuse(directory, f"a symlink leads back to {where}" + (
                ", which is already part of the catalog" if key in seen else ""),
                "remove the link, or link to a directory outside the catalog")
            continue
        if len(seen) >= MAX_DIRECTORIES:
            walk.refuse(directory, f"the catalog spans over {MAX_DIRECTORIES:,} directories; the rest was not read",
                        "does a symlink lead out of the catalog into a large tree? remove it, or split the catalog")
            break
        seen[key] = directory
        pending += _scan(directory, walk, root)
    walk.files.sort(key=_parts)  # Path's own order, compared in C: Path.__lt__ is a Python call per comparison
    return walk


def _parts(path: Path) -> tuple[str, ...]:
    return path.parts


def _holders(root: Path) -> dict[tuple[int, int], str]:
    """The directories that hold the catalog (its parents up to `/`): a link to one would walk the catalog
    again and everything beside it."""
    holders = {}
    for directory in Path(os.path.abspath(root)).resolve().parents:
        try:
            identity = os.stat(directory)
        except OSError:
            continue
        holders[(identity.st_dev, identity.st_ino)] = str(directory)
    return holders


def _scan(directory: Path, walk: Walk, root: Path) -> list[Path]:
    """Add the directory's catalog files to `walk`; return its subdirectories (symlinked ones included)."""
    try:
        with os.scandir(directory) as entries:
            found = sorted(entries, key=lambda entry: entry.name)
    except OSError as exc:
        walk.refuse(directory, f"cannot read the directory: {_reason(exc)}",
                    "make it readable (its files are part of the catalog), or move it out of the catalog")
        return []
    subdirectories = []
    for entry in found:
        path = directory / entry.name  # as Path(entry.path), parsing only the name (10,000 files: a third of the walk)
        try:
            is_directory = entry.is_dir()  # follows a symlink
        except OSError as exc:  # e.g. a symlink loop (ELOOP)
            walk.refuse(path, f"cannot follow the symlink: {_reason(exc)}", "fix or remove the link")
            continue
        if is_directory:
            if not entry.name.startswith("."):
                subdirectories.append(path)
        elif entry.name == TARGETS_FILE and directory != root:
            walk.refuse(path, f"a {TARGETS_FILE} below the catalog's root is not read (targets live in "
                        f"{display_path(root / TARGETS_FILE)})",
                        "is this directory a catalog of its own? plan it on its own, or move it out of this catalog")
        elif entry.name.lower().endswith(EXTENSIONS) and entry.name != TARGETS_FILE:
            _add_file(path, entry, walk)
    return subdirectories


def _add_file(path: Path, entry: os.DirEntry[str], walk: Walk) -> None:
    try:
        mode = os.stat(path).st_mode  # follows a symlink: what would be read
    except FileNotFoundError:
        target = os.readlink(path) if entry.is_symlink() else "?"
        walk.refuse(path, f"broken symlink: it points to {target}, which does not exist",
                    "fix or remove the link; a catalog file that cannot be read is never skipped")
        return
    except OSError as exc:
        walk.refuse(path, f"cannot read the file: {_reason(exc)}", "check that it exists and is readable")
        return
    if not stat.S_ISREG(mode):
        walk.refuse(path, f"not a regular file ({file_kind(mode)}); it was not read",
                    "a catalog file is a YAML text file; remove it or rename it so it does not end in .yaml/.yml")
        return
    walk.files.append(path)


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words: `a FIFO`, `a character device`..."""
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
