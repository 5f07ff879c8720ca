"""The `catalogctl` command group. Each subcommand lives in its own module and is added here."""

from __future__ import annotations

import click

from catalogctl import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks and HTTP details (secrets stay redacted).")
@click.version_option(__version__, prog_name="catalogctl")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """catalogctl: keep a store's catalog in git as YAML; plan and apply it like terraform."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _register() -> None:
    # One line per command module; each module defines a click command named `command`.
    from catalogctl.cli import commands

    for command in commands.all_commands():
        cli.add_command(command)


def main() -> None:
    _register()
    cli(prog_name="catalogctl")
