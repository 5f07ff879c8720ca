"""Helpers for the Shoprocket provider tests: the example copied, a served sandbox, the real CLI."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.sandbox import serve_in_thread
from catalogctl.sandbox.shoprocket import create_app

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "shoprocket-bootstrap"
KEY_ENV = "TEST_SHOPROCKET_KEY"
PASSWORDS = {"NORTHWIND_OWNER_PASSWORD": "owner-Pa55-word-xyz", "NORTHWIND_PACKER_PASSWORD": "packer-Pa55-word-xyz"}
ENV = {KEY_ENV: "sr_test_pk_local_key_for_tests", **PASSWORDS}


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    """The real `catalogctl` command, in process (output with stderr, as a CI log shows it)."""
    main._register()
    return CliRunner().invoke(main.cli, [str(a) for a in args], env={**ENV, **(env or {})})


@dataclass
class Served:
    url: str
    db: Path

    def force(self, status: int, count: int = 1) -> None:
        httpx.post(f"{self.url}/__sandbox/answers", json={"status": status, "count": count}).raise_for_status()

    def faults(self, **config: Any) -> None:
        httpx.post(f"{self.url}/__sandbox/faults", json=config).raise_for_status()

    def stats(self) -> dict[str, Any]:
        return httpx.get(f"{self.url}/__sandbox/stats").json()

    def stores(self) -> list[dict[str, Any]]:
        from catalogctl.sandbox.shoprocket import db

        records = db.RecordStore(self.db, ("store", "user"))
        return records.read(lambda conn: [__import__("json").loads(r[0]) for r in
                                          conn.execute("SELECT record FROM store ORDER BY id")])


@contextmanager
def served(tmp_path: Path) -> Iterator[Served]:
    db = tmp_path / "shoprocket.sqlite"
    with serve_in_thread(create_app(db, api_key=ENV[KEY_ENV])) as url:
        yield Served(url, db)


def catalog(tmp_path: Path, url: str) -> Path:
    """The example catalog with a target `http` for the served sandbox (the key from KEY_ENV)."""
    target = tmp_path / "catalog"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".catalogctl"))
    entry = {"provider": "shoprocket", "url": url, "api_key_env": KEY_ENV}
    (target / "catalogctl.yaml").write_text(yaml.safe_dump({"targets": {"http": entry}}), encoding="utf-8")
    return target
