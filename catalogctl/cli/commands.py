"""The subcommands of `catalogctl`, one module each."""

from __future__ import annotations

import click


def all_commands() -> list[click.Command]:
    # Imported here, not at module top, so `catalogctl --version` stays quick.
    from catalogctl.cli import apply, importer, plan, preview, sandbox, schema, validate

    return [validate.command, schema.command, plan.command, apply.command, importer.command, sandbox.command,
            preview.command]
