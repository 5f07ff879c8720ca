"""The subcommands of `catalogctl`, one module each."""

from __future__ import annotations

import importlib

import click

# One line per command module (each defines a click command named `command`); kept one per line so
# that adding a command is a one-line change that merges cleanly.
COMMAND_MODULES = (
    "validate",
    "schema",
    "plan",
    "apply",
    "importer",
    "sandbox",
    "preview",
    "show",
    "state",
    "fmt",
    "diff",
)


def all_commands() -> list[click.Command]:
    # Imported here, not at module top, so `catalogctl --version` stays quick.
    return [importlib.import_module(f"catalogctl.cli.{name}").command for name in COMMAND_MODULES]
