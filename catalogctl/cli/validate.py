"""`catalogctl validate [DIR]`: every problem of the catalog, as file:line:column lines."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from catalogctl.cli.errors import handle_errors
from catalogctl.config.catalog import CheckResult, check_catalog
from catalogctl.config.expand import expand_variants
from catalogctl.config.problems import Severity
from catalogctl.heap import big_heap


@click.command("validate")
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path))
@handle_errors
def command(directory: Path) -> None:
    """Check the catalog in DIRECTORY (default: the current one); exit 1 on any error."""
    with big_heap():
        result = check_catalog(directory)
    if result.problems:  # one write: 10,000 lines echoed (and flushed) one by one cost a third of a second
        click.echo("\n".join(str(problem) for problem in result.problems))
    errors = sum(1 for p in result.problems if p.severity is Severity.ERROR)
    warnings = sum(1 for p in result.problems if p.severity is Severity.WARNING)
    if errors:
        click.echo(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}: the catalog is not valid.", err=True)
        sys.exit(1)
    click.echo(summary(result))


def summary(result: CheckResult) -> str:
    """`N categories, N products, N variants, N webhooks`."""
    catalog = result.catalog
    variants = sum(len(expand_variants(product)) for product in catalog.products)
    return (
        f"{_plural(len(catalog.categories), 'category', 'categories')}, {_plural(len(catalog.products), 'product')}, "
        f"{_plural(variants, 'variant')}, {_plural(len(catalog.webhooks), 'webhook')}"
    )


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"
