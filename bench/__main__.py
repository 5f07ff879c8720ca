"""`python -m bench`: run every benchmark module's main() in turn, with default arguments."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if not callable(getattr(module, "main", None)):
            continue
        print(f"\n== bench.{info.name}", flush=True)
        sys.argv = [info.name]  # each main() parses its own (default) arguments
        module.main()


if __name__ == "__main__":
    main()
