"""`catalogctl import OUTDIR`: write the live store as a catalog directory that plans clean."""

from __future__ import annotations

from pathlib import Path

import click

from catalogctl.cli import aio
from catalogctl.cli.errors import handle_errors
from catalogctl.config.targets import Target
from catalogctl.errors import ConfigError
from catalogctl.importer.job import import_store
from catalogctl.importer.outdir import Mode, choose_mode
from catalogctl.importer.report import ImportReport
from catalogctl.importer.target import as_imported, find_target, write_target_entry
from catalogctl.session import open_session, state_path


def _progress(message: str) -> None:
    click.echo(message, err=True)


async def run_import(target: Target, outdir: Path, mode: Mode, *, quiet: bool = False,
                     templates: bool = False) -> ImportReport:
    """Open the target, import it into `outdir`, and give `outdir` the target's entry."""
    progress = (lambda _: None) if quiet else _progress
    async with open_session(target) as session:
        report = await import_store(session.provider, session.state.facts, outdir, mode, target.name,
                                    state_path(as_imported(target, outdir)), progress, templates=templates)
    own_sandbox = as_imported(target, outdir).sandbox_db
    if target.embedded and own_sandbox.exists() and own_sandbox.resolve() != target.sandbox_db.resolve():
        report.warnings.append(f"{outdir} already has its own embedded sandbox; it was left as it is, so "
                               f"`catalogctl plan {outdir}` plans against that one, not the store just read")
    written = write_target_entry(target, outdir)
    if written:
        report.outcome.written.append(written)
    return report


@click.command("import")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--target", "target_name", metavar="NAME",
              help="A target from catalogctl.yaml in OUTDIR (if it has one) or the current directory "
                   "(default: the embedded sandbox of the current directory).")
@click.option("--force", is_flag=True, help="Replace the catalog files OUTDIR already holds.")
@click.option("--merge", "merge_", is_flag=True,
              help="Update the catalog in OUTDIR in place, keeping your comments and order.")
@click.option("--quiet", "-q", is_flag=True, help="No progress messages on stderr.")
@click.option("--templates", is_flag=True,
              help="Write a template for each group of products that share a variant matrix (templates.yaml).")
@handle_errors
def command(outdir: Path, target_name: str | None, force: bool, merge_: bool, quiet: bool, templates: bool) -> None:
    """Read the live store and write it as a catalog directory (one file per product)."""
    if templates and merge_:
        raise ConfigError("--templates writes a new catalog; it cannot be combined with --merge",
                          hint="Import with --templates into an empty directory (or with --force), then compare.")
    mode = choose_mode(outdir, force=force, merge_=merge_)
    target = find_target(Path.cwd(), outdir, target_name)
    report = aio.run(run_import(target, outdir, mode, quiet=quiet, templates=templates))
    click.echo(report.render(), nl=False)
