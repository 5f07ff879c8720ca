"""`catalogctl plan`: read the live store, diff it against the catalog, show what would change."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from catalogctl.cli import aio
from catalogctl.cli.errors import handle_errors
from catalogctl.config.background import CatalogLoad
from catalogctl.config.targets import Target, resolve_target
from catalogctl.cores import one_core
from catalogctl.errors import PlanError
from catalogctl.heap import big_heap, settled
from catalogctl.model.address import Address
from catalogctl.plan.model import Plan
from catalogctl.render.html import render_html
from catalogctl.render.json import render_json
from catalogctl.render.markdown import render_markdown
from catalogctl.render.text import render_text
from catalogctl.render.view import Detail, build_view
from catalogctl.review.provenance import catalog_commit, reproduce_command
from catalogctl.session import open_session
from catalogctl.state.file import atomic_write

FORMATS = ("text", "markdown", "json", "html")


def parse_addresses(values: tuple[str, ...]) -> tuple[Address, ...]:
    """--address values as Addresses; a malformed one is a usage error naming the expected shape."""
    try:
        return tuple(Address.parse(value) for value in values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--address") from None


def use_color(no_color: bool) -> bool:
    """Colors only on a terminal, and never with --no-color or a non-empty NO_COLOR (no-color.org)."""
    return not no_color and not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def render(plan: Plan, fmt: str, *, color: bool, plan_file: str | None = None,
           detail: Detail = Detail.GROUPED) -> str:
    match fmt:
        case "json":
            return render_json(plan)
        case "markdown":
            return render_markdown(plan, plan_file=plan_file, detail=detail)
        case "html":
            return render_html(plan, plan_file=plan_file)
        case _:
            return render_text(plan, color=color, detail=detail)


async def make_plan(target: Target, *, allow_replace: bool, addresses: tuple[Address, ...],
                    digests: bool = True, provenance: bool = True) -> Plan:
    """Load the catalog while the store is read (with state facts), build the plan; records the catalog dir.
    `digests=False` for a plan that is only shown (see build_plan); `provenance=False` for one whose output
    does not show its catalog's git commit (the terminal text), which is then not asked of git."""
    async with CatalogLoad.start(target.catalog_dir) as loading, open_session(target) as session:
        # The load thread and the event loop take turns at the interpreter lock: on one core, not two
        # (cores.py); once the state is read (a git state backend's processes run anywhere), until the
        # catalog and the store are in (the plan is then built by one thread).
        with one_core():
            loaded = await session.read_while_loading(loading)
        loading.forget()  # plan_loaded then holds the only reference to the catalog, and frees it
        settled()
        plan = session.plan_loaded(loaded, allow_replace=allow_replace, addresses=addresses, digests=digests)
    return with_catalog_dir(plan, target.catalog_dir, allow_replace=allow_replace, addresses=addresses,
                            embedded=target.embedded, commit=provenance)


def with_catalog_dir(plan: Plan, catalog_dir: Path, *, allow_replace: bool = False,
                     addresses: tuple[Address, ...] = (), embedded: bool = False, commit: bool = True) -> Plan:
    """Remember where the catalog (and so catalogctl.yaml and .catalogctl/) was, for `apply PLANFILE`,
    and, for the reviewer, its git commit (unless not `commit`: up to three `git` processes, 5-35 ms here),
    the command that makes this plan again and its --address scope."""
    scope = [str(address) for address in addresses]
    extra = {"catalog_dir": str(catalog_dir.resolve()),
             "catalog_commit": catalog_commit(catalog_dir) if commit else None,
             "command": reproduce_command(catalog_dir, plan.target, embedded=embedded, allow_replace=allow_replace,
                                          addresses=scope)}
    if scope:
        extra["addresses"] = scope
    return plan.model_copy(update={"metadata": {**plan.metadata, **extra}})


def write_html_plan(plan: Plan, out: Path) -> None:
    """`--format html --out FILE`: the plan as one self-contained page (open it in a browser)."""
    try:
        atomic_write(out, render_html(plan))
    except OSError as exc:
        raise PlanError(f"cannot write the HTML plan to {out}: {exc.strerror}") from None
    # stderr, as for the other formats: stdout carries only a document, and here the document is the file
    click.echo(f"{build_view(plan).summary_line}\nWrote the HTML plan to {out}; open {out.resolve().as_uri()}",
               err=True)


def with_concurrency(target: Target, concurrency: int | None) -> Target:
    """`--concurrency N` overrides the target's `concurrency` (steps and requests in flight), embedded too."""
    if concurrency is None:
        return target
    config = None if target.config is None else target.config.model_copy(update={"concurrency": concurrency})
    return replace(target, config=config, concurrency_override=concurrency)


CONCURRENCY = click.option("--concurrency", type=click.IntRange(1, 64), metavar="N",
                           help="Steps and requests in flight (overrides the target's `concurrency`).")


def read_requests(plan: Plan) -> int:
    requests = plan.metadata.get("requests", {})
    return int(requests.get("read", 0)) if isinstance(requests, dict) else 0


@click.command("plan")
@click.argument("directory", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--target", "target_name", metavar="NAME", help="A target from catalogctl.yaml (default: the "
              "embedded sandbox in DIR/.catalogctl/).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Save the plan (JSON) for `apply FILE`; with --format html, write the HTML page there.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How to print the plan: terminal text, a pull-request comment, the JSON document, or an HTML page.")
@click.option("--detailed-exitcode", is_flag=True,
              help="Exit 0 when the store matches the catalog, 2 when something changes or a product is held.")
@click.option("--address", "addresses", multiple=True, metavar="ADDR",
              help='Limit the plan to this resource and what it depends on, e.g. product["TS-1"]. Repeatable.')
@click.option("--allow-replace", is_flag=True, help="Plan replacements (new product, old one deactivated).")
@click.option("--detail", type=click.Choice([d.value for d in Detail]), default=Detail.GROUPED.value,
              show_default=True, help="grouped: a product's variants that change alike are one line; "
              "full: one line per resource (JSON always has every resource).")
@CONCURRENCY
@click.option("--no-color", is_flag=True, help="Plain output even on a terminal.")
@click.option("--verbose", "-v", is_flag=True, help="Also print the number of HTTP requests on stderr.")
@click.pass_context
@handle_errors
def command(ctx: click.Context, directory: Path, target_name: str | None, out: Path | None, fmt: str,
            detailed_exitcode: bool, addresses: tuple[str, ...], allow_replace: bool, detail: str,
            concurrency: int | None, no_color: bool, verbose: bool) -> None:
    """Show what `apply` would change in the store to make it match the catalog in DIR."""
    parsed = parse_addresses(addresses)
    target = with_concurrency(resolve_target(directory, target_name), concurrency)
    with big_heap():
        # the digests are only written by the JSON document and a saved plan file
        plan = aio.run(make_plan(target, allow_replace=allow_replace, addresses=parsed,
                                 digests=fmt == "json" or out is not None,
                                 provenance=fmt != "text" or out is not None))
    if out is not None and fmt == "html":  # the page is the artifact: --out names it, stderr says where
        write_html_plan(plan, out)
    elif out is not None:
        try:
            atomic_write(out, plan.to_json())
        except OSError as exc:
            raise PlanError(f"cannot write the plan to {out}: {exc.strerror}") from None
    if not (out is not None and fmt == "html"):
        click.echo(render(plan, fmt, color=use_color(no_color), plan_file=str(out) if out else None,
                          detail=Detail(detail)), nl=False)
    if out is not None and fmt != "html":
        # stderr: stdout is the document asked for (a PR comment, JSON), and nothing else
        click.echo(f"Saved the plan to {out}; `catalogctl apply {out}` carries out exactly this plan.", err=True)
    if verbose:
        click.echo(f"Read the store in {read_requests(plan)} HTTP requests.", err=True)
    failed = plan.failed_preconditions
    if failed:  # the wrong store: an error, whatever --detailed-exitcode says about changes
        click.echo(f"{len(failed)} precondition{'s' if len(failed) != 1 else ''} failed: this target is not the "
                   "store the catalog is for, and apply refuses it.", err=True)
        ctx.exit(1)
    if detailed_exitcode and not plan.matches:  # a held product: the store does not match either
        ctx.exit(2)
