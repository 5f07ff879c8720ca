"""`catalogctl schema [--out FILE]`: the catalog's JSON Schema, for editors and CI."""

from __future__ import annotations

from pathlib import Path

import click

from catalogctl.cli.errors import handle_errors
from catalogctl.config.schema import schema_text
from catalogctl.errors import ConfigError


@click.command("schema")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="Write the schema to FILE (e.g. schemas/catalog.schema.json) instead of printing it.")
@handle_errors
def command(out: Path | None) -> None:
    """Print (or write) the JSON Schema of catalog files, generated from catalogctl's models."""
    text = schema_text()
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write the schema to {out}: {exc.strerror}") from exc
    click.echo(f"wrote {out}", err=True)
