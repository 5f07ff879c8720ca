"""CATALOGCTL_STATE_PUSH_URL: the git state backend pushes there when the remote it fetched from may
not be pushed to (a GitLab job token), and the URL, which carries a token, never shows."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from gitkit import backend, bare_remote, branch_file, clone, git

from catalogctl.errors import StateError
from catalogctl.state.gitstore import PUSH_URL_ENV

TOKEN = "glpat-Zx9SecretToken123"


def _read_only_clone(tmp_path: Path) -> tuple[Path, Path]:
    """A clone that fetches from the remote but whose pushes go nowhere, like a CI job's checkout."""
    remote = bare_remote(tmp_path)
    checkout = clone(remote, tmp_path / "job")
    git(checkout, "remote", "set-url", "--push", "origin", str(tmp_path / "read-only.git"))
    return remote, checkout


def test_the_lock_and_state_are_pushed_to_the_push_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    remote, checkout = _read_only_clone(tmp_path)
    monkeypatch.delenv(PUSH_URL_ENV, raising=False)
    with pytest.raises(StateError, match="cannot push to"), backend(checkout).lock():
        pass
    monkeypatch.setenv(PUSH_URL_ENV, remote.as_uri())
    state = backend(checkout).load()
    with backend(checkout).lock():
        assert branch_file(remote, "prod.lock") is not None
        state.merge({"image:1": {"src": "https://x/1.png"}})
        state.save()
    assert branch_file(remote, "prod.lock") is None
    assert '"image:1"' in (branch_file(remote, "prod.json") or "")
    assert "catalogctl-push" not in (checkout / ".git" / "config").read_text()   # nothing stored


def test_the_push_url_never_shows_in_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _remote, checkout = _read_only_clone(tmp_path)
    refusing = tmp_path / f"oauth2-{TOKEN}.git"   # git names it whole in "failed to push some refs to '...'"
    git(tmp_path, "init", "--quiet", "--bare", str(refusing))
    (refusing / "hooks" / "pre-receive").write_text("#!/bin/sh\necho 'pushes are not allowed here' >&2\nexit 1\n")
    (refusing / "hooks" / "pre-receive").chmod(0o755)
    for url in (str(refusing), refusing.as_uri(), str(tmp_path / f"missing-{TOKEN}.git"),
                f"https://oauth2:{TOKEN}@127.0.0.1:9/acme/shop.git",  # nothing listens on the discard port
                f"https://{TOKEN}@127.0.0.1:9/acme/shop.git"):
        monkeypatch.setenv(PUSH_URL_ENV, url)
        with pytest.raises(StateError) as caught, backend(checkout).lock():
            pass
        shown = str(caught.value) + str(getattr(caught.value, "hint", ""))
        assert "cannot push to branch 'catalogctl-state'" in shown and PUSH_URL_ENV in shown
        assert TOKEN not in shown and url not in shown, shown


def test_without_the_variable_nothing_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PUSH_URL_ENV, raising=False)
    remote = bare_remote(tmp_path)
    checkout = clone(remote, tmp_path / "laptop")
    with backend(checkout).lock():
        pass
    log = subprocess.run(["git", "--git-dir", str(remote), "log", "--format=%s", "catalogctl-state"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert log == ["unlock prod", f"lock prod: {log[1].split(': ', 1)[1]}"]
