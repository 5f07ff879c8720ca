"""`catalogctl diff BASE [DIR]`: the catalog at git revision BASE against the working tree, offline."""

from __future__ import annotations

from pathlib import Path

import click

from catalogctl.cli.errors import handle_errors
from catalogctl.cli.plan import render, use_color
from catalogctl.config.catalog import load_catalog
from catalogctl.config.loader import catalog_files
from catalogctl.errors import ConfigError
from catalogctl.model.from_catalog import desired_resources
from catalogctl.model.resource import ResourceMap
from catalogctl.render.view import Detail
from catalogctl.review.catalog_diff import catalog_at, diff_catalogs, invalid_base

FORMATS = ("text", "markdown", "json")


@click.command("diff")
@click.argument("base", metavar="BASE")
@click.argument("directory", required=False, default=".", type=click.Path(exists=True, file_okay=False,
                                                                          path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Terminal text, a pull-request comment, or JSON (the plan document's shape).")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 0 when the catalogs are the same, 2 when not.")
@click.option("--detail", type=click.Choice([d.value for d in Detail]), default=Detail.GROUPED.value,
              show_default=True, help="grouped: variants that change alike are one line; full: one line each.")
@click.option("--no-color", is_flag=True, help="Plain output even on a terminal.")
@click.pass_context
@handle_errors
def command(ctx: click.Context, base: str, directory: Path, fmt: str, detailed_exitcode: bool, detail: str,
            no_color: bool) -> None:
    """What the working tree's catalog in DIR changes against git revision BASE (e.g. origin/main):
    products, variants, prices, images, tags and webhooks. Needs no store and no credentials."""
    head = _resources(directory)
    with catalog_at(base, directory) as (old_dir, commit):
        try:
            old = _resources(old_dir) if any(catalog_files(old_dir)) else {}
        except ConfigError as exc:
            raise invalid_base(base, exc) from None
    document = diff_catalogs(old, head, base_label=base, base_commit=commit)
    click.echo(render(document, fmt, color=use_color(no_color), detail=Detail(detail)), nl=False)
    if detailed_exitcode and document.has_changes:
        ctx.exit(2)


def _resources(directory: Path) -> ResourceMap:
    """The catalog as provider-neutral resources: what the catalog says, whatever the store."""
    return desired_resources(load_catalog(directory))
