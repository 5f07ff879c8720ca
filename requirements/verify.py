"""Check that this Python environment holds exactly the pinned set of requirements/constraints.txt.

`make test` (and so CI) runs it right after installing: a package missing from the file, a version
that differs from its pin, or a pin nothing installed is an error, so a test run always says which
versions it tested. The project itself (installed editable) is not a pin.
Usage: python requirements/verify.py [CONSTRAINTS_FILE]
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import distributions
from pathlib import Path

PROJECT = "catalogctl"
DEFAULT = Path(__file__).with_name("constraints.txt")


def normalize(name: str) -> str:
    """The PEP 503 form of a distribution name: `PyYAML`, `pyyaml` and `py_yaml` are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> dict[str, str]:
    """{normalized name: version} from `name==version` lines; comments and blank lines are skipped, and
    so is a pin whose environment marker (`name==version ; sys_platform != "win32"`) is false here."""
    pins: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^=;\s]+)\s*(?:;\s*(.+))?", line)
        if match is None:
            raise SystemExit(f"{path}:{number}: not an exact pin `name==version`: {line!r}")
        if match[3] is not None and not _applies(match[3], f"{path}:{number}"):
            continue
        name = normalize(match[1])
        if name in pins:
            raise SystemExit(f"{path}:{number}: {match[1]} is pinned twice")
        pins[name] = match[2]
    return pins


def _applies(marker: str, where: str) -> bool:
    """Whether an environment marker holds for this interpreter (packaging: what pip evaluates it with)."""
    from packaging.markers import InvalidMarker, Marker

    try:
        return Marker(marker).evaluate()
    except InvalidMarker as exc:
        raise SystemExit(f"{where}: not an environment marker: {marker!r} ({exc})") from None


def installed() -> dict[str, str]:
    """{normalized name: version} of every distribution this interpreter sees, but the project itself."""
    found = {normalize(dist.metadata["Name"]): dist.version for dist in distributions()}
    found.pop(PROJECT, None)
    return found


def differences(pins: dict[str, str], have: dict[str, str]) -> list[str]:
    """One line per package that is not exactly as pinned."""
    lines = [f"{name}=={have[name]} is installed but not pinned" for name in sorted(have.keys() - pins.keys())]
    lines += [f"{name}=={pins[name]} is pinned but not installed" for name in sorted(pins.keys() - have.keys())]
    lines += [f"{name}=={have[name]} is installed, the pin says {pins[name]}"
              for name in sorted(pins.keys() & have.keys()) if pins[name] != have[name]]
    return lines


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    problems = differences(read_pins(path), installed())
    if problems:
        print(f"this environment is not the pinned set of {path}:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    print(f"environment matches {path} ({len(read_pins(path))} pins)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
