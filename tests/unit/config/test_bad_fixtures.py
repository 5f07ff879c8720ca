"""Every bad-catalog fixture states its exact problems in trailing `# expect:` / `# hint:` comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogctl.config import check_catalog

FIXTURES = Path(__file__).parent / "fixtures" / "bad"


def _expected(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect: "):
            lines.append(line.removeprefix("# expect: "))
        elif line.startswith("# hint: "):
            lines[-1] += f" [hint: {line.removeprefix('# hint: ')}]"
    return lines


def _actual(path: Path) -> list[str]:
    lines = []
    for problem in check_catalog(path.name).problems:
        assert problem.position is not None and problem.position.file.name == path.name
        text = f"{problem.position.line}:{problem.position.column}: {problem.severity}: {problem.message}"
        lines.append(text + (f" [hint: {problem.hint}]" if problem.hint else ""))
    return lines


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.yaml")), ids=lambda path: path.stem)
def test_fixture_reports_exactly_its_expected_problems(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)  # messages that name another position print it relative to here
    expected = _expected(path)
    assert expected, f"{path.name} states no `# expect:` line"
    assert _actual(path) == expected


def test_there_is_a_fixture_per_rule() -> None:
    assert len(list(FIXTURES.glob("*.yaml"))) >= 40
