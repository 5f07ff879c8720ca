"""Every bad catalogctl.yaml fixture (policies, ignore_changes) states its exact errors in trailing
`# expect: line:column: key: message` comments, in file order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalogctl.config.targets import load_targets
from catalogctl.errors import TargetError

FIXTURES = Path(__file__).parent / "fixtures" / "bad-targets"


def _expected(path: Path) -> list[str]:
    return [line.removeprefix("# expect: ") for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("# expect: ")]


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.yaml")), ids=lambda path: path.stem)
def test_fixture_reports_exactly_its_expected_errors(
        path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _expected(path)
    assert expected, f"{path.name} states no `# expect:` line"
    shutil.copy(path, tmp_path / "catalogctl.yaml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TargetError) as raised:
        load_targets(Path("."))
    head, *lines = str(raised.value).splitlines()
    assert head == "catalogctl.yaml is not a valid targets file:"
    assert [line.removeprefix("  catalogctl.yaml:") for line in lines] == expected


def test_the_same_head_with_valid_policies_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures share a valid head: each error comes from its own lines, not from the rest."""
    head = (FIXTURES / "policy-unknown.yaml").read_text(encoding="utf-8").split("    policies:")[0]
    (tmp_path / "catalogctl.yaml").write_text(head + (
        "    ignore_changes: [price]\n    policies:\n      max_price_change_percent: 30\n"
        "      require_images: true\n      allowed_image_hosts: ['*.example.com', cdn.shop.test]\n"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    loaded = load_targets(Path("."))
    assert loaded is not None
    settings = loaded.targets["prod"]
    assert settings.policies.enabled() == ("max_price_change_percent", "require_images", "allowed_image_hosts")
    assert settings.ignore_changes == ["price"]


def test_there_is_a_fixture_per_policy_rule() -> None:
    assert len(list(FIXTURES.glob("*.yaml"))) >= 9
