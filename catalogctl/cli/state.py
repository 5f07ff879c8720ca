"""`catalogctl state show|unlock TARGET [DIR]`: what a target's state holds, and breaking a stale lock."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from catalogctl.cli.errors import handle_errors
from catalogctl.config.targets import resolve_target
from catalogctl.core.uncertain import records
from catalogctl.errors import StateError
from catalogctl.session import state_backend
from catalogctl.state.backend import StateBackend
from catalogctl.state.holder import LockHolder


@click.group("state")
def command() -> None:
    """Inspect a target's state (facts the store cannot return) and its apply lock."""


_TARGET = click.argument("target_name", metavar="TARGET")
_DIR = click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))


@command.command("show")
@_TARGET
@_DIR
@handle_errors
def show(target_name: str, directory: Path) -> None:
    """Where TARGET's state lives, what it holds, and who holds its lock."""
    backend = _backend(directory, target_name)
    facts = backend.load().facts
    kinds = Counter(key.split(":", 1)[0] for key in facts)
    by_kind = ", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items()))
    click.echo(f"Target: {target_name}")
    click.echo(f"State:  {backend.location}")
    click.echo(f"Facts:  {len(facts)}" + (f" ({by_kind})" if by_kind else ""))
    for record in records(facts):   # creates whose answer was lost: the next plan or apply resolves each
        click.echo(f"Uncertain create: {record.address} ({record.key}; {record.call}), answer lost at "
                   f"{record.when()}: the next plan or apply adopts it or creates it again")
    click.echo(f"Lock:   {_lock_line(backend.holder())}")


@command.command("unlock")
@_TARGET
@_DIR
@click.option("--yes", is_flag=True, help="Break the lock without asking (for scripts).")
@handle_errors
def unlock(target_name: str, directory: Path, yes: bool) -> None:
    """Break TARGET's apply lock, left by an apply that crashed or was cancelled."""
    backend = _backend(directory, target_name)
    holder = backend.holder()
    if holder is None:
        click.echo(f"Target {target_name!r} is not locked; nothing to do.")
        return
    click.echo(f"The lock of target {target_name!r} is held by {holder.describe()}.")
    if not yes:
        _confirm(target_name)
    broken = backend.unlock()
    if broken is None:
        click.echo(f"The lock was released meanwhile; target {target_name!r} is not locked.")
        return
    click.echo(f"Broke the lock of target {target_name!r} (it was held by {broken.describe()}).")


def _backend(directory: Path, target_name: str) -> StateBackend:
    return state_backend(resolve_target(directory, target_name))


def _lock_line(holder: LockHolder | None) -> str:
    if holder is None:
        return "free"
    return f"held by {holder.describe()}"


def _confirm(target_name: str) -> None:
    if not sys.stdin.isatty():
        raise StateError("breaking a lock needs confirmation, but stdin is not a terminal",
                         hint=f"If no apply is running on {target_name!r}, run again with --yes.")
    click.echo("Break it only if that apply is no longer running: two applies at once can duplicate products.")
    answer = click.prompt("Only 'yes' will be accepted to break the lock", default="", show_default=False)
    if answer.strip() != "yes":
        click.echo("Unlock cancelled; the lock is still held.", err=True)
        raise click.exceptions.Exit(1)
