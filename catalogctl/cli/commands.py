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


# The name a module's command answers to, where it is not the module's name.
_NAMES = {"importer": "import"}
BY_NAME = {_NAMES.get(module, module): module for module in COMMAND_MODULES}


def all_commands() -> list[click.Command]:
    # Imported here, not at module top, so `catalogctl --version` stays quick.
    return [load(module) for module in COMMAND_MODULES]


def load(module: str) -> click.Command:
    """The command that `catalogctl.cli.<module>` defines (imported now)."""
    command: click.Command = importlib.import_module(f"catalogctl.cli.{module}").command
    return command
