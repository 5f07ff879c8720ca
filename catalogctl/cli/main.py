"""The `catalogctl` command group. Each subcommand lives in its own module and is added here."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

from catalogctl import __version__
from catalogctl.heap import importing


class CatalogGroup(click.Group):
    """A click group whose every error exits 1: click's usage errors exit 2, which
    `plan --detailed-exitcode` reserves for "changes present" (a mistyped flag in CI must fail)."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.ClickException as exc:
            exc.show()
            sys.exit(1)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    # A command's module is imported when the command is asked for: `catalogctl plan` does not pay for
    # importing the sandbox server, the importer and the preview site (~0.1 s of a plan's start).
    def list_commands(self, ctx: click.Context) -> list[str]:
        from catalogctl.cli import commands

        return sorted({*super().list_commands(ctx), *commands.BY_NAME})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is None:
            from catalogctl.cli import commands

            module = commands.BY_NAME.get(cmd_name)
            if module is not None:
                found = commands.load(module)
                self.add_command(found)
        return found

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                              list[str]]:
        if not ctx.resilient_parsing and self.get_command(ctx, args[0]) is None:
            _register()   # an unknown name: click's "Did you mean" picks from the registered commands
        return super().resolve_command(ctx, args)


@click.group(cls=CatalogGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks and HTTP details (secrets stay redacted).")
@click.version_option(__version__, prog_name="catalogctl")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """catalogctl: keep a store's catalog in git as YAML; plan and apply it like terraform."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    configure_logging(debug=debug)


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is at the time (click's test runner swaps it per invocation)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:  # a log line must never break the command
            self.handleError(record)


def configure_logging(*, debug: bool) -> None:
    """catalogctl's log on stderr: warnings always; with --debug every record, each HTTP request and
    answer included, timestamped. Secrets are masked where records are made (the HTTP layer)."""
    logger = logging.getLogger("catalogctl")
    handler = next((h for h in logger.handlers if isinstance(h, _StderrHandler)), None)
    if handler is None:
        handler = _StderrHandler()
        logger.addHandler(handler)
    if debug:
        handler.setLevel(logging.DEBUG)
        handler.setFormatter(logging.Formatter("%(asctime)s.%(msecs)03d %(levelname)-7s %(name)s: %(message)s",
                                               "%H:%M:%S"))
        logger.setLevel(logging.DEBUG)
    else:
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.setLevel(logging.NOTSET)


def _load_asked_for(args: list[str]) -> None:
    """Import the command named on the command line now, where Ctrl-C still means "Interrupted."
    (inside click, a KeyboardInterrupt while importing it would be an "Aborted!")."""
    from catalogctl.cli import commands

    name = next((arg for arg in args if not arg.startswith("-")), None)
    module = commands.BY_NAME.get(name) if name is not None else None
    if module is not None and name not in cli.commands:
        # pydantic looks for plugins in every installed distribution's entry points when it builds its first
        # model: an observability hook catalogctl never asks for, ~20 ms of a command's start here and more
        # in a larger environment. A value the user set is kept.
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
        with importing():   # the program's process only: nothing was frozen before (see heap.importing)
            cli.add_command(commands.load(module))


def _register() -> None:
    # One line per command module; each module defines a click command named `command`.
    from catalogctl.cli import commands

    for command in commands.all_commands():
        cli.add_command(command)


def main() -> None:
    try:
        _load_asked_for(sys.argv[1:])
        cli(prog_name="catalogctl")
    except KeyboardInterrupt:  # Ctrl-C before a command had its own handling (e.g. while starting up)
        click.echo("Interrupted.", err=True)
        sys.exit(130)


def run() -> None:
    """The `catalogctl` program (its console script and `python -m catalogctl`): main(), then the process
    ends without the interpreter's teardown when nothing needs it (process_end.py). main() itself
    raises SystemExit as ever, for callers that run it in their own process."""
    caller = sys._getframe(1)   # the fast end is only for the process's own __main__ (process_end.py)
    try:
        main()
    except SystemExit as done:
        try:
            from catalogctl.cli.process_end import end_process

            end_process(done.code, caller)   # returns only when the interpreter's own exit is needed
        except BaseException:   # a Ctrl-C held back until now, say: the command is done, it ends as ever
            pass
        raise
