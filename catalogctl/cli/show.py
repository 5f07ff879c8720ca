"""`catalogctl show product SKU [DIR]`: one product fully expanded (templates and matrix applied)."""

from __future__ import annotations

import difflib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from catalogctl.cli.errors import handle_errors
from catalogctl.config.catalog import check_catalog
from catalogctl.config.models import Catalog, Product
from catalogctl.config.problems import InvalidCatalog
from catalogctl.errors import ConfigError
from catalogctl.importer.fastyaml import dumps
from catalogctl.model.from_catalog import product_attrs, variant_attrs
from catalogctl.model.money import plain_string


@click.group("show")
def command() -> None:
    """Show one item of the catalog as catalogctl sees it."""


@command.command("product")
@click.argument("sku")
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--format", "output", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@handle_errors
def product(sku: str, directory: Path, output: str) -> None:
    """Print product SKU with its template and variant matrix applied: what plan compares and apply sends."""
    result = check_catalog(directory)
    errors = sum(1 for problem in result.problems if problem.is_error)
    try:
        found = _find(result.catalog, sku)
    except ConfigError:
        if errors:  # the product may be one that did not pass: say why, as plan would
            raise InvalidCatalog(result.problems) from None
        raise
    if errors:
        click.echo(f"note: the catalog has {errors} error{'s' if errors != 1 else ''}; "
                   "`catalogctl validate` lists them", err=True)
    document = {"product": expanded_product(result.catalog, found)}
    if output == "json":
        click.echo(json.dumps(document, indent=2, ensure_ascii=False, default=_json_default))
    else:
        click.echo(dumps(document), nl=False)


def expanded_product(catalog: Catalog, product: Product) -> dict[str, Any]:
    """The product as explicit catalog YAML would write it: every variant listed, nothing inherited."""
    colors = {group.name for group in catalog.variant_groups if group.type == "color"}
    attrs = product_attrs(product)
    shown: dict[str, Any] = {key: _plain(value) for key, value in attrs.items() if key != "options"}
    shown["images"] = list(product.images)
    shown["options"] = list(attrs["options"])
    shown["variants"] = [_variant(variant) for variant in variant_attrs(product, colors)]
    if product.template is not None:
        shown["template"] = product.template
    return shown


def _variant(attrs: dict[str, Any]) -> dict[str, Any]:
    shown = {"values": dict(attrs["values"])}
    shown.update({key: _plain(value) for key, value in attrs.items() if key != "values" and value is not None})
    return shown


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain_string(value)
    raise TypeError(f"cannot show {type(value).__name__}")


def _find(catalog: Catalog, sku: str) -> Product:
    for product in catalog.products:
        if product.sku.casefold() == sku.casefold():
            return product
    guess = difflib.get_close_matches(sku, [product.sku for product in catalog.products], n=1)
    hint = f"did you mean {guess[0]!r}?" if guess else "`catalogctl validate` lists the catalog's products"
    raise ConfigError(f"the catalog has no product with sku {sku!r}", hint=hint)
