"""`catalogctl state show|unlock` on the local backend (the git backend: test_git_targets.py)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.core.uncertain import UncertainCreate
from catalogctl.state import LockHolder, State


def run(*args: str | Path, input: str | None = None) -> Result:
    main._register()
    return CliRunner().invoke(main.cli, [str(a) for a in args], input=input)


def _locked(catalog: Path) -> Path:
    lock = catalog / ".catalogctl" / "state" / "embedded.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    holder = LockHolder(4242, "runner-7.example", "2024-05-01T10:00:00+00:00", "ci",
                        "https://github.com/acme/shop/actions/runs/99")
    lock.write_text(holder.to_json())
    return lock


def test_show_names_where_the_state_is_what_it_holds_and_the_lock(tmp_path: Path) -> None:
    State(tmp_path / ".catalogctl/state/embedded.json", "embedded",
          {"image:1": {"src": "a"}, "image:2": {"src": "b"}, "product:9": {"short_description": "x"}}).save()
    result = run("state", "show", "embedded", tmp_path)
    assert result.exit_code == 0, result.output
    assert f"State:  the file {tmp_path}/.catalogctl/state/embedded.json" in result.output
    assert "Facts:  3 (image: 2, product: 1)" in result.output
    assert "Lock:   free" in result.output
    _locked(tmp_path)
    held = run("state", "show", "embedded", tmp_path).output
    assert ("Lock:   held by ci on runner-7.example (pid 4242), since 2024-05-01T10:00:00+00:00 (" in held
            and "CI run https://github.com/acme/shop/actions/runs/99" in held)


def test_unlock_without_a_terminal_needs_yes(tmp_path: Path) -> None:
    lock = _locked(tmp_path)
    refused = run("state", "unlock", "embedded", tmp_path)
    assert refused.exit_code == 1 and "run again with --yes" in refused.output
    assert "held by ci on runner-7.example (pid 4242)" in refused.output
    assert lock.exists()
    done = run("state", "unlock", "embedded", tmp_path, "--yes")
    assert done.exit_code == 0, done.output
    assert "Broke the lock of target 'embedded' (it was held by ci on runner-7.example" in done.output
    assert not lock.exists()
    again = run("state", "unlock", "embedded", tmp_path, "--yes")
    assert again.exit_code == 0 and "is not locked; nothing to do" in again.output


def test_an_apply_after_a_crash_on_another_host_reports_the_lock_and_how_to_break_it(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text(json.dumps({"products": [{"sku": "A-1", "title": "A", "price": 5}]}))
    _locked(tmp_path)
    refused = run("apply", tmp_path, "--auto-approve")
    assert refused.exit_code == 1
    assert "target 'embedded' is locked by another apply: ci on runner-7.example (pid 4242)" in refused.output
    assert "catalogctl state unlock embedded" in refused.output and "Traceback" not in refused.output
    assert run("state", "unlock", "embedded", tmp_path, "--yes").exit_code == 0
    assert run("apply", tmp_path, "--auto-approve").exit_code == 0


def test_a_lock_of_this_host_is_described_with_its_hostname(tmp_path: Path) -> None:
    lock = _locked(tmp_path)
    lock.write_text(LockHolder(1, socket.gethostname(), "2024-05-01T10:00:00+00:00").to_json())
    assert socket.gethostname() in run("state", "show", "embedded", tmp_path).output


def test_show_lists_the_creates_whose_answer_was_lost(tmp_path: Path) -> None:
    record = UncertainCreate('product["TS-1"]', "sku=TS-1", "products.json", 1_700_000_000.0, 30.0, "timed out")
    State(tmp_path / ".catalogctl/state/embedded.json", "embedded", {record.fact_key: record.to_fact()}).save()
    result = run("state", "show", "embedded", tmp_path)
    assert result.exit_code == 0, result.output
    assert "Facts:  1 (uncertain: 1)" in result.output
    assert ('Uncertain create: product["TS-1"] (sku=TS-1; products.json), answer lost at 2023-11-14T22:13:20+00:00: '
            "the next plan or apply adopts it or creates it again") in result.output
