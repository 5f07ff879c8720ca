"""The list of subcommands; each command module adds its import here (one line each)."""

from __future__ import annotations

import click


def all_commands() -> list[click.Command]:
    commands: list[click.Command] = []
    # validate / schema (config), sandbox (sandbox), plan / apply (plan), import (import)
    for module_name in ("validate", "schema", "sandbox", "plan", "apply", "importer"):
        try:
            module = __import__(f"catalogctl.cli.{module_name}", fromlist=["command"])
        except ModuleNotFoundError as exc:
            if exc.name != f"catalogctl.cli.{module_name}":
                raise
            continue
        commands.append(module.command)
    return commands
