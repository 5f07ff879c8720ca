"""`catalogctl diff BASE`: the catalog at a git revision against the working tree, as a Plan-shaped
document (changes, no steps) so the plan renderers show it: no store, no credentials.

`metadata.kind == "diff"` tells the view to say "added / changed / removed" (what the catalog
says) instead of what a store would do, which depends on the target and is `plan`'s job.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from catalogctl.errors import CatalogError, ConfigError
from catalogctl.model.address import Kind
from catalogctl.model.resource import ResourceMap
from catalogctl.plan.builder import catalog_digest
from catalogctl.plan.diff import address_text, diff_attrs, jsonable, jsonable_attrs
from catalogctl.plan.model import Change, ChangeAction, Plan, empty_summary

DIFF_KIND = "diff"
_KIND_ORDER = (Kind.CATEGORY, Kind.VARIANT_GROUP, Kind.PRODUCT, Kind.VARIANT, Kind.IMAGE, Kind.WEBHOOK)


class GitRevisionError(CatalogError):
    """BASE is not a revision of the repository holding the catalog, or there is no repository."""


def diff_catalogs(base: ResourceMap, head: ResourceMap, *, base_label: str, base_commit: str) -> Plan:
    """What changes from `base` to `head`: every added, changed and removed resource, in catalog order."""
    changes: list[Change] = []
    for kind in _KIND_ORDER:
        for address, resource in head.items():
            if address.kind is not kind:
                continue
            old = base.get(address)
            if old is None:
                changes.append(Change(address=address_text(address), kind=kind, action=ChangeAction.CREATE,
                                      after=jsonable_attrs(resource.attrs)))
                continue
            diffs = diff_attrs(resource.attrs, old.attrs)
            if diffs:
                changes.append(Change(address=address_text(address), kind=kind, action=ChangeAction.UPDATE,
                                      before={d.name: jsonable(d.old) for d in diffs},
                                      after={d.name: jsonable(d.new) for d in diffs}))
        changes += [Change(address=address_text(address), kind=kind, action=ChangeAction.DELETE,
                           before=jsonable_attrs(resource.attrs))
                    for address, resource in base.items() if address.kind is kind and address not in head]
    summary = empty_summary()
    for change in changes:
        summary[change.action] += 1
    removed = [c.address for c in changes if c.action is ChangeAction.DELETE and c.kind is Kind.PRODUCT]
    warnings = tuple(f"{address} is removed from the catalog: the store keeps it unless the target prunes "
                     "(then it is deactivated)" for address in removed)
    return Plan(target=f"{base_label}..working tree", provider="catalog", catalog_digest=catalog_digest(head),
                live_digest=catalog_digest(base), summary=summary, changes=tuple(changes), warnings=warnings,
                metadata={"kind": DIFF_KIND, "base": base_label, "base_commit": base_commit})


@contextmanager
def catalog_at(revision: str, directory: Path) -> Iterator[tuple[Path, str]]:
    """The catalog directory as it was at `revision`, extracted to a temporary directory, and the commit."""
    commit = _git(directory, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}",
                  error=f"{revision!r} is not a commit of the repository holding {directory}").strip()
    prefix = _git(directory, "rev-parse", "--show-prefix", error="cannot find the repository").strip()
    top = Path(_git(directory, "rev-parse", "--show-toplevel", error="cannot find the repository").strip())
    with tempfile.TemporaryDirectory(prefix="catalogctl-diff-") as scratch:
        root = Path(scratch)
        listed = _git(top, "ls-tree", "-r", "--name-only", "-z", commit, "--", prefix or ".", error="ls-tree")
        if listed.strip("\0"):
            archive = subprocess.run(["git", "-C", str(top), "archive", "--format=tar", commit, "--",
                                      prefix or "."], capture_output=True, check=False)
            if archive.returncode != 0:
                raise GitRevisionError(f"cannot read the catalog at {revision}: {archive.stderr.decode().strip()}")
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(root, filter="data")
        (root / prefix).mkdir(parents=True, exist_ok=True)   # no catalog at BASE yet: everything is added
        yield root / prefix, commit


def _git(directory: Path, *args: str, error: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(directory), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise GitRevisionError("catalogctl diff needs `git` on PATH") from None
    if result.returncode != 0:
        if "not a git repository" in result.stderr:
            raise GitRevisionError(f"{directory} is not inside a git repository, so there is no revision to "
                                   "compare with", hint="Run diff inside a clone of the catalog's repository.")
        raise GitRevisionError(error, hint="Give a branch, tag or commit, e.g. origin/main or HEAD~1 "
                                           "(in CI, fetch it first: git fetch origin main).")
    return result.stdout


def invalid_base(revision: str, exc: ConfigError) -> ConfigError:
    """The catalog at BASE does not load: say which side is broken."""
    return ConfigError(f"the catalog at {revision} is not valid, so there is nothing to compare with:\n{exc}")
