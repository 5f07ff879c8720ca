"""`catalogctl apply`: plan DIR (or take a saved plan) and carry it out, in dependency order."""

from __future__ import annotations

import asyncio
import sys
from contextlib import AsyncExitStack
from dataclasses import dataclass, replace
from pathlib import Path

import click
from pydantic import ValidationError

from catalogctl.apply.interrupt import DEFAULT_GRACE, Interrupt, Interrupted
from catalogctl.apply.outcome import Outcome
from catalogctl.apply.progress import StderrProgress
from catalogctl.apply.run import check_safety, execute_plan, left_undone
from catalogctl.cli import aio
from catalogctl.cli.errors import handle_errors
from catalogctl.cli.plan import (
    CONCURRENCY,
    parse_addresses,
    read_requests,
    use_color,
    with_concurrency,
)
from catalogctl.cli.text_beside import TextBeside
from catalogctl.cli.tty import ask
from catalogctl.config.background import CatalogLoad
from catalogctl.config.targets import Target, resolve_target
from catalogctl.cores import one_core
from catalogctl.errors import PlanError
from catalogctl.heap import big_heap, collecting, settled
from catalogctl.model.address import Address
from catalogctl.plan.builder import live_digest
from catalogctl.plan.model import FORMAT_VERSION, Plan
from catalogctl.plan.policies import check_overrides, overridden
from catalogctl.providers.base import LiveState
from catalogctl.render.text import text_chunks
from catalogctl.render.view import build_view
from catalogctl.session import Session, open_session, state_lock
from catalogctl.state.file import atomic_write
from catalogctl.state.uncertain import resolve

# Applied, but blocked replacements remain (they need --allow-replace): like `plan --detailed-exitcode`'s
# 2, "the store still differs from the catalog". Unsupported changes do not count: no apply makes them.
EXIT_UNDONE = 2


@dataclass(frozen=True)
class _Request:
    """What the user asked for, resolved: where the plan comes from and how to run it."""

    target: Target
    saved: Plan | None          # `apply PLANFILE`: exactly this plan
    allow_replace: bool
    addresses: tuple[Address, ...]
    auto_approve: bool
    force: bool
    color: bool
    verbose: bool
    override_policies: tuple[str, ...] = ()  # --override-policy NAME: each lifts one policy for this apply


@click.command("apply")
@click.argument("source", default=".", type=click.Path(exists=True, path_type=Path), metavar="[DIR | PLANFILE]")
@click.option("--target", "target_name", metavar="NAME", help="A target from catalogctl.yaml (default: the "
              "embedded sandbox in DIR/.catalogctl/; with PLANFILE: the plan's target).")
@click.option("--auto-approve", is_flag=True, help="Do not ask for confirmation (needed without a terminal).")
@click.option("--force", is_flag=True, help="Apply even when deletes/deactivations/replacements pass the threshold.")
@click.option("--allow-replace", is_flag=True, help="Carry out replacements (new product, old one deactivated).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Write the outcome as JSON (for CI).")
@click.option("--address", "addresses", multiple=True, metavar="ADDR",
              help="Limit the apply to this resource and what it depends on. Repeatable.")
@click.option("--no-color", is_flag=True, help="Plain output even on a terminal.")
@click.option("--verbose", "-v", is_flag=True, help="A progress line per step, and request counts.")
@click.option("--grace-period", type=click.FloatRange(min=0), default=DEFAULT_GRACE, show_default=True,
              metavar="SECONDS", help="After Ctrl-C, SIGTERM or SIGHUP: how long the steps in flight may "
              "take to finish before they are cancelled (a second signal cancels them at once).")
@click.option("--override-policy", "override_policies", multiple=True, metavar="NAME",
              help="Apply although the plan breaks this target policy (recorded in the report). Repeatable.")
@CONCURRENCY
@click.pass_context
@handle_errors
def command(ctx: click.Context, source: Path, target_name: str | None, auto_approve: bool, force: bool,
            allow_replace: bool, report: Path | None, addresses: tuple[str, ...], no_color: bool,
            verbose: bool, grace_period: float, concurrency: int | None,
            override_policies: tuple[str, ...] = ()) -> None:
    """Make the store match the catalog in DIR, or carry out a plan saved with `plan --out`."""
    saved = None
    if source.is_file():
        if allow_replace or addresses:
            raise PlanError("--allow-replace and --address shape a new plan; a saved plan is applied exactly as made",
                            hint="Make the plan again with those options: catalogctl plan DIR --out FILE ...")
        saved = read_plan_file(source)
        catalog_dir = _catalog_dir_of(saved)
        target_name = _target_of(saved, target_name)
    else:
        catalog_dir = source
    target = with_concurrency(resolve_target(catalog_dir, target_name), concurrency)
    request = _Request(target, saved, allow_replace, parse_addresses(addresses),
                       auto_approve, force, use_color(no_color), verbose, override_policies)
    interrupt = Interrupt(grace_period)
    try:
        with big_heap():
            with interrupt.installed():
                outcome = aio.run(_apply(request, interrupt, report))
            summary = outcome.summary() if outcome is not None else ""   # before the collector sees the heap again
    except (Interrupted, asyncio.CancelledError):
        if interrupt.signum is None:
            raise
        click.echo(f"Interrupted ({interrupt.name}) before the apply started: nothing was changed.", err=True)
        ctx.exit(interrupt.exit_code)
    if outcome is None:
        return
    click.echo(summary, err=not outcome.ok)
    if outcome.interrupted:
        ctx.exit(interrupt.exit_code)
    if not outcome.ok:
        ctx.exit(1)
    if outcome.undone:
        ctx.exit(EXIT_UNDONE)


async def _apply(request: _Request, interrupt: Interrupt, report: Path | None) -> Outcome | None:
    """Under the target's lock: read, plan (or check the saved plan), confirm, walk, write the report.

    The catalog loads in a thread while the lock is taken, the session opened and the store read
    (as `plan` does: config/background.py); a catalog that does not load is still the error reported.
    Until the walk starts a signal cancels everything (nothing has changed); during it, the walk
    stops gracefully and this still saves the state, writes the report and releases the lock.
    With --auto-approve a new plan's text is written beside the walk's start (text_beside.py)."""
    target = request.target
    with interrupt.preparing():
        async with AsyncExitStack() as stack:
            loading = None
            if request.saved is None:
                loading = await stack.enter_async_context(CatalogLoad.start(target.catalog_dir))
            stack.enter_context(state_lock(target))
            session = await stack.enter_async_context(open_session(target))
            plan, live = await _plan(request, session, loading)
            beside = _text_beside(request, plan)
            if not beside:
                if not _show(request, plan):
                    if session.live is not None and resolve(session.state, session.live):
                        session.state.save()   # lost creates the read found landed: adopted
                    return None
                check_safety(plan, force=request.force)
                check_overrides(plan, request.override_policies)
                if request.saved is None:
                    with interrupt.synchronous():
                        _confirm(target, len(plan.steps), auto_approve=request.auto_approve)
            text = TextBeside(plan, color=request.color, interrupt=interrupt) if beside else None
            progress = StderrProgress(len(plan.steps), verbose=request.verbose,
                                      stream=text.stderr if text is not None else None)
            try:
                with collecting():   # a walk of thousands of requests: cycles are collected again
                    outcome = await execute_plan(plan, session.provider, live, session.state,
                                                 force=request.force, concurrency=target.concurrency,
                                                 progress=progress, interrupt=interrupt)
            finally:
                unwritten = text.finish() if text is not None else None   # raised below, once all is saved
                try:
                    progress.close()
                finally:
                    session.state.save()
            outcome = replace(outcome, overridden_policies=overridden(plan, request.override_policies))
            if report is not None:
                atomic_write(report, outcome.to_json())
            if unwritten is not None:
                raise unwritten
            return outcome


async def _plan(request: _Request, session: Session, loading: CatalogLoad | None) -> tuple[Plan, LiveState]:
    """The live store and the plan to carry out: the saved one (checked against the store) or a new one,
    made from the catalog `loading` hands over (the plan frees it: ~150 MB at 10,000 products)."""
    target = request.target
    if loading is None:
        assert request.saved is not None
        live = await session.read_live(None)
        settled()
        plan = request.saved
        if live_digest(live) != plan.live_digest:
            raise PlanError(f"the store changed since this plan was made (target {target.name!r})",
                            hint="Make a new plan: catalogctl plan DIR --out FILE, then apply that.")
        return plan, live
    # The load thread and the event loop take turns at the interpreter lock: on one core, not two (cores.py);
    # the lock and state (a git backend's processes), the plan's building and the walk keep every core.
    with one_core():
        loaded = await session.read_while_loading(loading)
    loading.forget()   # plan_loaded then holds the only reference to the catalog, and frees it
    session.live = live = loaded.live   # as read_live leaves it: lost creates are adopted from it (_apply)
    settled()
    # digests: only a saved plan has them (apply PLANFILE checks them)
    plan = session.plan_loaded(loaded, allow_replace=request.allow_replace, addresses=request.addresses,
                               digests=False)
    return _scoped(plan, request.addresses), live


def _scoped(plan: Plan, addresses: tuple[Address, ...]) -> Plan:
    """The plan with its --address scope, which the text shows. Of what `plan` records for a saved plan
    and its reviewer (cli/plan.py: with_catalog_dir), nothing else is shown by apply nor kept: the catalog's
    git commit is not asked for (three `git` processes before the first request)."""
    if not addresses:
        return plan
    return plan.model_copy(update={"metadata": {**plan.metadata, "addresses": [str(a) for a in addresses]}})


def _text_beside(request: _Request, plan: Plan) -> bool:
    """Whether the new plan's text may be written beside the walk (text_beside.py): nothing to confirm, no
    per-step lines to order after it, steps to carry out and no check that refuses the plan (a refused
    plan is shown whole first, then refused, as before)."""
    if request.saved is not None or not request.auto_approve or request.verbose or not plan.steps:
        return False
    try:
        check_safety(plan, force=request.force)
        check_overrides(plan, request.override_policies)
    except PlanError:
        return False
    return True


def _show(request: _Request, plan: Plan) -> bool:
    """Show a new plan and check it; False when there is nothing to apply."""
    if request.saved is None:  # written as it is made: the text of a large plan is never held whole
        for chunk in text_chunks(plan, color=request.color):
            click.echo(chunk, nl=False)
    if request.verbose:
        click.echo(f"Read the store in {read_requests(plan)} HTTP requests.", err=True)
    if plan.failed_preconditions:  # refused even when there is nothing to carry out
        check_safety(plan, force=request.force)
    if not plan.steps:
        if plan.has_changes:
            click.echo("Nothing to apply: the remaining changes are blocked or unsupported (see above).")
            if left_undone(plan):
                raise click.exceptions.Exit(EXIT_UNDONE)
        elif request.saved is not None:  # a held product: the summary line says it remains
            click.echo(build_view(plan).summary_line if plan.held else "No changes. The store matches the catalog.")
        return False
    return True


def _confirm(target: Target, steps: int, *, auto_approve: bool) -> None:
    if auto_approve:
        return
    if not sys.stdin.isatty():
        raise PlanError("apply needs confirmation, but stdin is not a terminal",
                        hint="Pass --auto-approve to apply without asking (e.g. in CI).")
    click.echo(f"Apply these changes to target {target.name!r}? Only 'yes' will be accepted.")
    if ask("Enter a value").strip() != "yes":   # not click.prompt: a signal must end the wait (tty.py)
        click.echo("Apply cancelled; nothing was changed.", err=True)
        raise click.exceptions.Exit(1)


def read_plan_file(path: Path) -> Plan:
    """A plan saved by `plan --out`; a clear error for anything else or another format version."""
    try:
        plan = Plan.from_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(f"cannot read the plan file {path}: {exc}") from None
    except ValidationError as exc:
        raise PlanError(f"{path} is not a catalogctl plan file ({exc.error_count()} problems, first: "
                        f"{exc.errors()[0]['msg']})") from None
    if plan.format_version != FORMAT_VERSION:
        raise PlanError(f"{path} has plan format_version {plan.format_version}; this catalogctl reads "
                        f"{FORMAT_VERSION}", hint="Make the plan again with this version of catalogctl.")
    return plan


def _catalog_dir_of(plan: Plan) -> Path:
    """Where the plan was made (its catalogctl.yaml and .catalogctl/); else the current directory."""
    recorded = plan.metadata.get("catalog_dir")
    if isinstance(recorded, str) and Path(recorded).is_dir():
        return Path(recorded)
    return Path.cwd()


def _target_of(plan: Plan, asked: str | None) -> str | None:
    if asked is not None and asked != plan.target:
        raise PlanError(f"this plan was made for target {plan.target!r}, not {asked!r}")
    return plan.target   # `embedded` too: the plan's target, whatever catalogctl.yaml's default is
