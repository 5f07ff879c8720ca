"""`catalogctl import` through the real CLI against the embedded sandbox and a served one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.sandbox import create_app, serve_in_thread

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    main._register()
    return CliRunner().invoke(main.cli, list(args), env=env)


def plan_changes(outdir: str, *extra: str, env: dict[str, str] | None = None) -> list[dict[str, object]]:
    """The changes `plan OUTDIR` shows; `--detailed-exitcode` must agree (0 when there are none)."""
    planned = run("plan", outdir, "--format", "json", *extra, env=env)
    assert planned.exit_code == 0, planned.output
    changes: list[dict[str, object]] = json.loads(planned.stdout)["changes"]
    detailed = run("plan", outdir, "--detailed-exitcode", *extra, env=env).exit_code
    assert detailed == (2 if changes else 0)
    return changes


@pytest.mark.parametrize("example", ["tshirt-shop", "pod-store"])
def test_apply_example_then_import_plans_clean(example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shop = tmp_path / "shop"
    shutil.copytree(EXAMPLES / example, shop)
    monkeypatch.chdir(shop)
    applied = run("apply", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    imported = run("import", "../imported")
    assert imported.exit_code == 0, imported.output
    assert "Imported target 'embedded' into ../imported (fresh)" in imported.stdout
    assert "Reading the live store..." in imported.stderr
    validated = run("validate", "../imported")
    assert validated.exit_code == 0 and "error" not in validated.output, validated.output
    assert plan_changes("../imported") == []
    again = run("import", "../again")
    assert again.exit_code == 0, again.output
    first = sorted(p.relative_to(tmp_path / "imported") for p in (tmp_path / "imported").rglob("*.yaml"))
    assert first == sorted(p.relative_to(tmp_path / "again") for p in (tmp_path / "again").rglob("*.yaml"))
    assert all((tmp_path / "imported" / f).read_bytes() == (tmp_path / "again" / f).read_bytes() for f in first)


def test_refuses_non_empty_outdir_then_merge_keeps_comments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shop = tmp_path / "shop"
    shutil.copytree(EXAMPLES / "tshirt-shop", shop)
    monkeypatch.chdir(shop)
    assert run("apply", "--auto-approve").exit_code == 0
    assert run("import", "../out").exit_code == 0
    refused = run("import", "../out")
    assert refused.exit_code == 1 and "already holds a catalog; import will not overwrite it" in refused.stderr
    assert "Traceback" not in refused.output
    hoodie = tmp_path / "out/products/hd-zip.yaml"
    hoodie.write_text(hoodie.read_text().replace("  - sku: HD-ZIP\n", "  # winter range\n  - sku: HD-ZIP\n"))
    merged = run("import", "../out", "--merge")
    assert merged.exit_code == 0, merged.output
    assert "  # winter range\n  - sku: HD-ZIP\n" in hoodie.read_text()
    assert "Files: 0 written" in merged.stdout
    (tmp_path / "out/notes.yaml").write_text("products: []\n")
    forced = run("import", "../out", "--force")
    assert forced.exit_code == 0 and "1 old catalog files removed (--force)" in forced.stdout
    assert "# winter range" not in hoodie.read_text() and not (tmp_path / "out/notes.yaml").exists()


def test_named_target_entry_is_written_without_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    shutil.copytree(EXAMPLES / "tshirt-shop", work)
    monkeypatch.chdir(work)
    with serve_in_thread(create_app(tmp_path / "served.sqlite")) as url:
        (work / "catalogctl.yaml").write_text(
            f"targets:\n  staging:\n    provider: sandbox\n    url: {url}\n"
            "    auth_token_env: SHOP_TOKEN\n    api_key_env: SHOP_KEY\n"
        )
        env = {"SHOP_TOKEN": "gk-sandbox", "SHOP_KEY": "sandbox-api-key"}
        seeded = run("apply", "--target", "staging", "--auto-approve", env=env)
        assert seeded.exit_code == 0, seeded.output
        imported = run("import", "../out", "--target", "staging", env=env)
        assert imported.exit_code == 0, imported.output
        entry = (tmp_path / "out/catalogctl.yaml").read_text()
        assert "staging:" in entry and "auth_token_env: SHOP_TOKEN" in entry and url in entry
        assert "gk-sandbox" not in entry and "sandbox-api-key" not in entry
        assert not any("sandbox-api-key" in p.read_text() for p in (tmp_path / "out").rglob("*") if p.is_file())
        assert "3 products" in imported.stdout
        assert plan_changes("../out", "--target", "staging", env=env) == []
        # OUTDIR that holds only its catalogctl.yaml: the target is read from there, the file kept as written
        fresh = tmp_path / "fresh"
        fresh.mkdir()
        mine = "# our stores\n" + (work / "catalogctl.yaml").read_text()
        (fresh / "catalogctl.yaml").write_text(mine)
        monkeypatch.chdir(tmp_path)
        again = run("import", "fresh", "--target", "staging", env=env)
        assert again.exit_code == 0, again.output
        assert (fresh / "catalogctl.yaml").read_text() == mine and (fresh / "products/ts-classic.yaml").is_file()


def test_adopt_edit_apply_then_merge_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The adoption loop: import, edit the YAML, apply it, import --merge again: the files stay as edited."""
    shop = tmp_path / "shop"
    shutil.copytree(EXAMPLES / "tshirt-shop", shop)
    monkeypatch.chdir(shop)
    assert run("apply", "--auto-approve").exit_code == 0
    assert run("import", "../adopted").exit_code == 0
    monkeypatch.chdir(tmp_path / "adopted")
    tote = Path("products/ac-tote.yaml")
    edited = tote.read_text().replace("    title: ", "    # renamed for autumn\n    title: Autumn ", 1)
    assert edited != tote.read_text()
    tote.write_text(edited)
    applied = run("apply", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    merged = run("import", ".", "--merge")
    assert merged.exit_code == 0, merged.output
    assert "Files: 0 written" in merged.stdout and tote.read_text() == edited
    assert plan_changes(".") == []


def test_outdir_with_its_own_embedded_sandbox_keeps_it_and_says_so(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    shop = tmp_path / "shop"
    shutil.copytree(EXAMPLES / "tshirt-shop", shop)
    own = tmp_path / "out/.catalogctl/sandbox.sqlite"
    own.parent.mkdir(parents=True)
    own.write_bytes(b"")
    monkeypatch.chdir(shop)
    imported = run("import", "../out")
    assert imported.exit_code == 0, imported.output
    assert "already has its own embedded sandbox; it was left as it is" in imported.stdout
    assert own.read_bytes() == b""
