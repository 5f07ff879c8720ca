"""requirements/constraints.txt pins every declared dependency and all they pull in, inside pyproject's ranges."""

from __future__ import annotations

import ast
import importlib.util
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).parents[3]
PINS = ROOT / "requirements" / "constraints.txt"
BUILD_TOOLS = {"pip", "setuptools", "wheel"}  # pinned so the Makefile's install is exact; no package needs them


def _verify() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_pins", ROOT / "requirements" / "verify.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


verify = _verify()


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {}).values()
    return [Requirement(text) for text in [*project["dependencies"], *(text for group in extras for text in group)]]


def _closure(requirements: list[Requirement]) -> dict[str, Requirement]:
    """Every requirement reachable from `requirements` in this environment (markers evaluated), by name."""
    found: dict[str, Requirement] = {}
    pending = [(requirement, "") for requirement in requirements]
    while pending:
        requirement, extra = pending.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = verify.normalize(requirement.name)
        if name in found and not requirement.extras:
            continue
        found.setdefault(name, requirement)
        try:
            needs = distribution(requirement.name).requires or []
        except PackageNotFoundError:
            continue  # reported by the test as missing from the environment
        for wanted in ["", *requirement.extras]:
            pending += [(Requirement(text), wanted) for text in needs]
    return found


def test_every_declared_dependency_is_pinned_inside_its_declared_range() -> None:
    pins = verify.read_pins(PINS)
    declared = _declared()
    assert {"pydantic", "pyyaml", "ruamel-yaml", "pytest"} <= {verify.normalize(r.name) for r in declared}
    unpinned = [str(r) for r in declared if verify.normalize(r.name) not in pins]
    assert unpinned == [], f"declared in pyproject.toml but not pinned in {PINS.name}"
    outside = [f"{r} (pinned {pins[verify.normalize(r.name)]})" for r in declared
               if not r.specifier.contains(pins[verify.normalize(r.name)], prereleases=True)]
    assert outside == [], "pins outside pyproject's ranges: `pip install catalogctl` would never get what we test"


def test_every_package_the_dependencies_pull_in_is_pinned() -> None:
    pins = verify.read_pins(PINS)
    closure = _closure(_declared())
    assert len(closure) > 15  # the transitive set really was walked (pydantic-core, anyio, h11, ...)
    assert sorted(closure.keys() - pins.keys()) == []
    # and nothing is pinned that no dependency needs (a leftover pin would be installed for nothing)
    assert sorted(pins.keys() - closure.keys() - BUILD_TOOLS) == []


def test_the_pins_satisfy_what_each_package_requires() -> None:
    pins = verify.read_pins(PINS)
    conflicts = [f"{requirement} (pinned {pins[name]})" for name, requirement in _closure(_declared()).items()
                 if name in pins and not requirement.specifier.contains(pins[name], prereleases=True)]
    assert conflicts == []


def test_tests_run_on_the_pinned_versions() -> None:
    # what CI installs is checked whole by `make pins`; here: the packages the suite imports are the pinned ones
    pins = verify.read_pins(PINS)
    wrong = {name: version for name, version in verify.installed().items()
             if name in _closure(_declared()) and pins.get(name) != version}
    assert wrong == {}, f"this environment is not what {PINS.name} pins; install with `-c {PINS}`"


@pytest.mark.parametrize(("text", "message"), [
    ("pydantic>=2\n", "not an exact pin"),
    ("click==8.1\nClick==8.2\n", "pinned twice"),
])
def test_a_malformed_pin_file_is_refused_with_its_line(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text(f"# comment\n{text}")
    with pytest.raises(SystemExit, match=message) as refused:
        verify.read_pins(path)
    assert f"c.txt:{text.count(chr(10)) + 1}:" in str(refused.value)


def test_a_pin_holds_only_where_its_environment_marker_does(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text('click==8.1.0\nuvloop==0.23.0 ; sys_platform != "win32"\nwinonly==1.0; sys_platform == "win32"\n'
                    'never==2.0 ; python_version < "3"\n')
    pins = verify.read_pins(path)
    assert pins.pop("click") == "8.1.0" and "never" not in pins
    expected = {"winonly": "1.0"} if sys.platform == "win32" else {"uvloop": "0.23.0"}
    assert pins == expected
    path.write_text("# comment\nclick==8.1.0\nuvloop==0.23.0 ; sys_platform !=\n")
    with pytest.raises(SystemExit, match="not an environment marker") as refused:
        verify.read_pins(path)
    assert "c.txt:3:" in str(refused.value)


def test_uvloop_is_declared_and_pinned_for_every_platform_but_windows() -> None:
    declared = {verify.normalize(r.name): r for r in _declared()}
    uvloop = declared["uvloop"]
    assert uvloop.marker is not None
    assert not uvloop.marker.evaluate({"sys_platform": "win32"}) and uvloop.marker.evaluate({"sys_platform": "linux"})
    assert "uvloop" in verify.read_pins(PINS) or sys.platform == "win32"


def test_verify_names_what_differs() -> None:
    pins = {"click": "8.1.0", "gone": "1.0"}
    have = {"click": "8.2.0", "extra-pkg": "2.0"}
    assert verify.differences(pins, have) == [
        "extra-pkg==2.0 is installed but not pinned", "gone==1.0 is pinned but not installed",
        "click==8.2.0 is installed, the pin says 8.1.0"]
    assert verify.differences(have, have) == []


# Declared for a package that imports it itself, not for our code: httpcore asks for sniffio on every request.
IMPORTED_BY_A_DEPENDENCY = {"sniffio"}


def _imported_top_levels(package: Path) -> set[str]:
    """The top-level module names that any file of `package` imports, at any depth of its code."""
    names: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def test_every_runtime_dependency_is_imported_by_catalogctl() -> None:
    # a declared dependency is used or removed: each one costs every user an install (deepdiff was one)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = [Requirement(text) for text in project["dependencies"]]
    assert len(runtime) > 8
    imported = _imported_top_levels(ROOT / "catalogctl")
    assert {"pydantic", "httpx", "click"} <= imported  # the walk really read the package
    by_distribution: dict[str, set[str]] = {}
    for module, distributions in packages_distributions().items():
        for name in distributions:
            by_distribution.setdefault(verify.normalize(name), set()).add(module)
    unused = [str(requirement) for requirement in runtime
              if (requirement.marker is None or requirement.marker.evaluate())
              and verify.normalize(requirement.name) not in IMPORTED_BY_A_DEPENDENCY
              and not by_distribution.get(verify.normalize(requirement.name), set()) & imported]
    assert unused == [], "declared in pyproject.toml but never imported by catalogctl: use it or remove it"
