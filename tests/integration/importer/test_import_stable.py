"""Importing one store twice gives byte-identical files, even when the store's image urls carry a
`?v=` cache-buster that changes on every read (a CDN's, here the sandbox's vary_image_version)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.sandbox import FaultConfig, create_app, serve_in_thread

from .store import populate

ENV = {"IMPORT_TOKEN": "gk-sandbox", "IMPORT_KEY": "sandbox-api-key"}


def run(*args: str | Path) -> Result:
    main._register()
    return CliRunner().invoke(main.cli, [str(a) for a in args], env=ENV)


def target_dir(path: Path, url: str) -> Path:
    path.mkdir()
    entry = {"provider": "sandbox", "url": url, "api_user": "catalogctl", "auth_token_env": "IMPORT_TOKEN",
             "api_key_env": "IMPORT_KEY"}
    (path / "catalogctl.yaml").write_text(json.dumps({"targets": {"shop": entry}}))
    return path


def files(root: Path) -> dict[str, bytes]:
    """Every file import wrote, the state file included."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_imports_of_a_store_whose_cache_busters_change_are_byte_identical(tmp_path: Path) -> None:
    app = create_app(tmp_path / "store.sqlite", faults=FaultConfig(vary_image_version=True))
    with serve_in_thread(app) as url:
        async def fill() -> list[str]:
            async with httpx.AsyncClient(base_url=f"{url}/api/") as raw:
                await populate(raw)
                body = {"auth_token": "gk-sandbox", "api_key": "sandbox-api-key", "api_user": "catalogctl",
                        "limit": 0, "offset": 0}
                reads = [(await raw.post("list_products.json", json=body)).text for _ in range(2)]
            return reads

        first_read, second_read = asyncio.run(fill())
        assert first_read != second_read and "?v=" in first_read  # the store really varies its urls
        outputs = []
        for name in ("one", "two"):
            out = target_dir(tmp_path / name, url)
            imported = run("import", out, "--target", "shop")
            assert imported.exit_code == 0, imported.output
            outputs.append(files(out))
    one, two = outputs
    assert one.keys() == two.keys() and "products/tee.yaml" in one and ".catalogctl/state/shop.json" in one
    assert [name for name in one if one[name] != two[name]] == []
    tee = one["products/tee.yaml"].decode()
    assert "/img/p/" in tee and "?v=" not in tee and "?v=" not in one[".catalogctl/state/shop.json"].decode()
