"""`catalogctl fmt [DIR] [--check]`: rewrite catalog files in the canonical layout (comments kept)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from catalogctl.cli.errors import handle_errors
from catalogctl.config.source import display_path
from catalogctl.review.fmt import format_catalog
from catalogctl.state.file import atomic_write


@click.command("fmt")
@click.argument("directory", required=False, default=".", type=click.Path(exists=True, file_okay=False,
                                                                          path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing; list the files that are not formatted and exit 1 "
              "if there are any (for CI).")
@handle_errors
def command(directory: Path, check: bool) -> None:
    """Rewrite the catalog files in DIRECTORY in the layout `import` writes, keeping comments."""
    changed = [result for result in format_catalog(directory) if result.changed]
    for result in changed:
        if not check:
            atomic_write(result.path, result.after)
        click.echo(display_path(result.path))
    if check and changed:
        click.echo(f"{len(changed)} file{'s' if len(changed) != 1 else ''} not formatted; run "
                   f"`catalogctl fmt {display_path(directory)}` to fix.", err=True)
        sys.exit(1)
