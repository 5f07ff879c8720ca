"""`catalogctl preview [DIR] --out SITE`: the catalog as a static site to open in a browser."""

from __future__ import annotations

from pathlib import Path

import click

from catalogctl.cli.errors import handle_errors
from catalogctl.preview.site import build_site


@click.command("preview")
@click.argument("directory", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(path_type=Path), metavar="SITE",
              help="Folder to write the site into (new, empty, or an earlier preview).")
@handle_errors
def command(directory: Path, out: Path) -> None:
    """Write a browsable preview of the catalog in DIR: product grid, product pages, categories.

    Opens from disk with no server and no network; images that cannot load show a placeholder."""
    report = build_site(directory, out)
    size = report.bytes / 1_000_000
    click.echo(f"Wrote the preview of {report.products:,} products ({report.pages:,} pages, {size:.1f} MB) "
               f"to {out}/.")
    if report.problems:
        click.echo(f"The catalog has {report.problems} problems; they are listed at the top of the index page "
                   "(run `catalogctl validate` for details).", err=True)
    click.echo(f"Open {report.index.resolve().as_uri()}")
