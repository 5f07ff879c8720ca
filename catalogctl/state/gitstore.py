"""A branch of a git remote used as a tiny key-value store with compare-and-swap.

Files sit at the branch's root. Reads are `git fetch` of that one branch into a private ref
(`refs/catalogctl/...`), so the user's branches, index and work tree are never touched. A write
is a commit built with plumbing (hash-object, mktree, commit-tree) on top of the tip we read,
then a push that must fast-forward: if anyone pushed in between, the push is rejected and the
caller re-reads and decides again. That rejection is the compare-and-swap the lock relies on.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from catalogctl.errors import StateError
from catalogctl.http.redact import redact

_IDENTITY = {"GIT_AUTHOR_NAME": "catalogctl", "GIT_AUTHOR_EMAIL": "catalogctl@localhost",
             "GIT_COMMITTER_NAME": "catalogctl", "GIT_COMMITTER_EMAIL": "catalogctl@localhost"}
# How a remote refuses the loser of two simultaneous pushes (it may see the race inside its ref update).
_RACES = ("lock", "failed to update ref", "incorrect old value")
# Where to push when the remote the job fetched from may not be pushed to (a GitLab job token): a URL
# that usually carries a token, so it is a secret. It reaches git through its environment as the URL
# of a remote named _PUSH_REMOTE, never through argv (visible to every process) or .git/config.
PUSH_URL_ENV = "CATALOGCTL_STATE_PUSH_URL"
_PUSH_REMOTE = "catalogctl-push"
MAX_ATTEMPTS = 20   # pushes rejected in a row before giving up (other targets' writes share the branch)


@dataclass(frozen=True)
class Snapshot:
    """The branch as last read: its tip commit (None: no branch yet) and its files (name -> blob id)."""

    tip: str | None
    files: Mapping[str, str] = field(default_factory=dict)


Changes = Mapping[str, str | None]   # file name -> new text, or None to delete it


class GitBranch:
    """One branch of one remote, reached through the git repository that holds `workdir`."""

    def __init__(self, workdir: Path, remote: str, branch: str) -> None:
        self.workdir = workdir
        self.remote = remote
        self.branch = branch
        self._private = f"refs/catalogctl/{branch}"
        self.snapshot: Snapshot | None = None
        self.push_url = os.environ.get(PUSH_URL_ENV) or None

    @property
    def location(self) -> str:
        pushed = f" (pushed to the URL in {PUSH_URL_ENV})" if self.push_url else ""
        return f"branch {self.branch!r} of the git remote {self.remote!r}{pushed}"

    @property
    def secrets(self) -> list[str]:
        """The push URL and its credentials: masked in every message (a token alone may be the user part)."""
        if not self.push_url:
            return []
        parts = urlsplit(self.push_url)
        return [self.push_url, parts.netloc.rpartition("@")[0], parts.password or parts.username or ""]

    def fetch(self) -> Snapshot:
        """Read the branch's current tip from the remote (one round trip)."""
        result = self._git("fetch", "--quiet", "--no-tags", "--no-write-fetch-head", self.remote,
                           f"+refs/heads/{self.branch}:{self._private}", check=False)
        if result.returncode != 0:
            if "couldn't find remote ref" not in result.stderr:
                raise self._error("cannot fetch", result)
            self._git("update-ref", "-d", self._private, check=False)
            self.snapshot = Snapshot(None)
            return self.snapshot
        tip = self._git("rev-parse", "--verify", f"{self._private}^{{commit}}").stdout.strip()
        self.snapshot = Snapshot(tip, self._files(tip))
        return self.snapshot

    def read(self, name: str, snapshot: Snapshot | None = None) -> str | None:
        """A file's text at `snapshot` (default: the last one read); None when it does not exist."""
        snap = snapshot or self.snapshot or self.fetch()
        blob = snap.files.get(name)
        if blob is None:
            return None
        return self._git("cat-file", "blob", blob).stdout

    def update(self, decide: Callable[[Snapshot], Changes | None], message: str, *, fresh: bool = False) -> bool:
        """Compare-and-swap: `decide` looks at the branch and returns the changes to make (None or {}:
        nothing to do); they are committed on that tip and pushed. A rejected push (someone else
        pushed first) re-reads the branch and asks `decide` again. True when a commit was pushed."""
        snap = self.fetch() if fresh or self.snapshot is None else self.snapshot
        for _ in range(MAX_ATTEMPTS):
            changes = decide(snap)
            if not changes:
                return False
            commit, files = self._commit(snap, changes, message)
            if self._push(commit):
                self._git("update-ref", self._private, commit)
                self.snapshot = Snapshot(commit, files)
                return True
            snap = self.fetch()
        raise StateError(f"could not write {self.location}: {MAX_ATTEMPTS} pushes in a row were rejected",
                         hint="Others are writing to that branch continuously; try again in a minute.")

    def _files(self, tip: str) -> dict[str, str]:
        listing = self._git("ls-tree", "-z", tip).stdout
        files = {}
        for entry in filter(None, listing.split("\0")):
            meta, name = entry.split("\t", 1)
            _mode, kind, sha = meta.split()
            if kind == "blob":
                files[name] = sha
        return files

    def _commit(self, snap: Snapshot, changes: Changes, message: str) -> tuple[str, dict[str, str]]:
        files = dict(snap.files)
        for name, text in changes.items():
            if text is None:
                files.pop(name, None)
            else:
                files[name] = self._git("hash-object", "-w", "--stdin", input=text).stdout.strip()
        listing = "".join(f"100644 blob {sha}\t{name}\0" for name, sha in sorted(files.items()))
        tree = self._git("mktree", "-z", input=listing).stdout.strip()
        parents = ["-p", snap.tip] if snap.tip else []
        commit = self._git("commit-tree", "--no-gpg-sign", tree, *parents, "-m", message, env=_IDENTITY)
        return commit.stdout.strip(), files

    def _push(self, commit: str) -> bool:
        """True when the remote took the commit; False when it refused a non-fast-forward."""
        remote, env = self.remote, None
        if self.push_url:
            base = int(os.environ.get("GIT_CONFIG_COUNT") or 0)
            remote, env = _PUSH_REMOTE, {"GIT_CONFIG_COUNT": str(base + 1),
                                         f"GIT_CONFIG_KEY_{base}": f"remote.{_PUSH_REMOTE}.url",
                                         f"GIT_CONFIG_VALUE_{base}": self.push_url}
        result = self._git("push", "--porcelain", "--no-verify", "--quiet", remote,
                           f"{commit}:refs/heads/{self.branch}", env=env, check=False)
        if result.returncode == 0:
            return True
        if "[rejected]" in result.stdout or ("[remote rejected]" in result.stdout and any(
                why in result.stdout for why in _RACES)):
            return False
        raise self._error("cannot push to", result)

    def _error(self, what: str, result: subprocess.CompletedProcess[str]) -> StateError:
        if "not a git repository" in result.stderr:
            return StateError(f"the git state backend keeps the state on {self.location}, but {self.workdir} "
                              "is not inside a git clone",
                              hint="Run catalogctl from a clone of the catalog's repository, or use `state: local`.")
        detail = redact((result.stderr or result.stdout).strip(), self.secrets).splitlines()
        return StateError(f"{what} {self.location}: {' '.join(detail[-3:]) or f'git exited {result.returncode}'}",
                          hint="The git state backend needs the catalog in a git clone whose remote can be "
                               "fetched from and pushed to with the credentials git already has, or a push "
                               f"URL with a token in the environment variable {PUSH_URL_ENV}.")

    def _git(self, *args: str, input: str | None = None, env: Mapping[str, str] | None = None,
             check: bool = True) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}
        try:
            result = subprocess.run(["git", "-C", str(self.workdir), *args], input=input, capture_output=True,
                                    text=True, env=full_env, check=False)
        except FileNotFoundError:
            raise StateError("the git state backend needs `git` on PATH") from None
        if check and result.returncode != 0:
            raise self._error(f"git {args[0]} failed for", result)
        return result
