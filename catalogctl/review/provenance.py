"""Where a plan comes from, for the comment a reviewer reads: the catalog's git commit and the
command that makes the same plan again."""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Sequence
from pathlib import Path

CATALOG_SUFFIXES = (".yaml", ".yml")


def catalog_commit(catalog_dir: Path) -> str | None:
    """The commit the catalog is at (`3f2a1b9c4d5e`, `+dirty` when its files differ); None outside git."""
    def git(*args: str) -> subprocess.CompletedProcess[str] | None:
        try:
            return subprocess.run(["git", "-C", str(catalog_dir), *args], capture_output=True, text=True,
                                  check=False, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None

    head = git("rev-parse", "--short=12", "HEAD")
    if head is None or head.returncode != 0:
        return None
    # Only what could change the plan: tracked edits, and new catalog files. Untracked files such as
    # the plan.json / plan.md a CI job writes into the checkout leave the catalog as committed.
    tracked = git("status", "--porcelain", "--untracked-files=no", "--", ".")
    untracked = git("ls-files", "-z", "--others", "--exclude-standard", "--", ".")
    dirty = (tracked is not None and tracked.returncode == 0 and bool(tracked.stdout.strip())) or (
        untracked is not None and untracked.returncode == 0
        and any(name.lower().endswith(CATALOG_SUFFIXES) for name in untracked.stdout.split("\0")))
    return head.stdout.strip() + ("+dirty" if dirty else "")


def reproduce_command(catalog_dir: Path, target: str, *, embedded: bool, allow_replace: bool = False,
                      addresses: Sequence[str] = ()) -> str:
    """`catalogctl plan shop --target production --address 'product["A"]'`: the same plan again."""
    words = ["catalogctl", "plan", _shown(catalog_dir)]
    if not embedded:
        words += ["--target", target]
    if allow_replace:
        words.append("--allow-replace")
    for address in addresses:
        words += ["--address", address]
    return shlex.join(words)


def _shown(catalog_dir: Path) -> str:
    """The directory as the user would type it: relative to the current one when inside it."""
    try:
        relative = catalog_dir.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return str(catalog_dir)
    return str(relative) or "."
