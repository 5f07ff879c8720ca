"""Plans must not change when the code gets faster: save them before, compare them after.

    python bench/plan_identity.py save   [--dir /tmp/catalogctl-plan-identity] [--code OLD_CHECKOUT]
    python bench/plan_identity.py compare [--dir /tmp/catalogctl-plan-identity] # on the new code

Each case is a catalog copied to a fixed path (so the plan's catalog_dir is the same in both runs)
and planned by the real CLI against its embedded sandbox, in JSON and text: both examples and a
1,000-product generated catalog, each first against an empty store, then (after an apply) with a few
products edited and one removed, so creates, updates and the no-op path are all compared.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

try:
    from bench.plan_apply import write_catalog
except ModuleNotFoundError:  # run as `python bench/<name>.py`
    from plan_apply import write_catalog

ROOT = Path(__file__).resolve().parent.parent
CODE = [ROOT]  # the catalogctl checkout that plans (--code: e.g. a worktree of main, for `save`)
EXAMPLES = ("tshirt-shop", "pod-store")


def cli(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "catalogctl", *args], cwd=CODE[0], capture_output=True, text=True,
                          env={"PYTHONPATH": str(CODE[0]), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"})
    if done.returncode not in (0, 2):
        raise SystemExit(f"catalogctl {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


# Masked, every other byte compared: the applied store's image urls carry the upload time (?v=...),
# so its digest differs per run; the read's request count is what issue 13 changes on purpose
# (and varied from run to run with the speculative pages before).
_MASKS = ((re.compile(r'"live_digest": ?"sha256:[0-9a-f]+"'), '"live_digest": "(masked)"'),
          (re.compile(r'"read": ?\d+'), '"read": "(masked)"'))


def plans(catalog: Path) -> dict[str, str]:
    as_json = cli("plan", str(catalog), "--format", "json")
    for pattern, mask in _MASKS:
        as_json = pattern.sub(mask, as_json)
    return {"json": as_json, "text": cli("plan", str(catalog))}


def edit_generated(catalog: Path) -> None:
    """Change the title and price of a few products and drop the last one of the first file."""
    first = catalog / "products-000.yaml"
    data = json.loads(first.read_text())
    for item in data["products"][:5]:
        item["title"] += " (edited)"
        item["price"] = "21.00"
    data["products"].pop()
    first.write_text(json.dumps(data))


def cases(workdir: Path) -> dict[str, str]:
    """Every compared output, by name."""
    out: dict[str, str] = {}
    for name in (*EXAMPLES, "generated-1000"):
        catalog = workdir / name
        shutil.rmtree(catalog, ignore_errors=True)
        if name in EXAMPLES:
            shutil.copytree(ROOT / "examples" / name, catalog)
        else:
            write_catalog(catalog, 1000, 5)
        for fmt, text in plans(catalog).items():
            out[f"{name}.empty.{fmt}"] = text
        cli("apply", str(catalog), "--auto-approve")
        if name not in EXAMPLES:
            edit_generated(catalog)
        for fmt, text in plans(catalog).items():
            out[f"{name}.applied.{fmt}"] = text
        print(f"planned {name}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("save", "compare"))
    parser.add_argument("--dir", type=Path, default=Path("/tmp/catalogctl-plan-identity"))
    parser.add_argument("--code", type=Path, default=ROOT, help="the catalogctl checkout to run (default: this one)")
    options = parser.parse_args()
    CODE[0] = options.code.resolve()
    saved = options.dir / "saved"
    outputs = cases(options.dir / "work")
    if options.mode == "save":
        saved.mkdir(parents=True, exist_ok=True)
        for name, text in outputs.items():
            (saved / name).write_text(text)
        print(f"saved {len(outputs)} plans in {saved}")
        return
    differ = [name for name, text in outputs.items() if (saved / name).read_text() != text]
    if differ:
        raise SystemExit(f"plans differ: {', '.join(differ)} (compare with {saved})")
    print(f"all {len(outputs)} plans byte-identical")


if __name__ == "__main__":
    main()
