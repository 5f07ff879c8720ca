"""One error handler for every command: a readable paragraph and exit 1, tracebacks only with --debug."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from catalogctl.errors import CatalogError, InternalError

F = TypeVar("F", bound=Callable[..., Any])


def debug_enabled() -> bool:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if ctx.obj and isinstance(ctx.obj, dict) and ctx.obj.get("debug"):
            return True
        ctx = ctx.parent
    return False


def handle_errors(func: F) -> F:
    """Turn CatalogError (and stray exceptions) into one paragraph on stderr and exit code 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except CatalogError as exc:
            if debug_enabled():
                traceback.print_exc()
            prefix = "Bug" if isinstance(exc, InternalError) else "Error"
            click.echo(f"{prefix}: {exc}", err=True)
            sys.exit(1)
        except Exception as exc:  # a bug: still one paragraph unless --debug
            if debug_enabled():
                traceback.print_exc()
            else:
                click.echo(
                    f"Bug: unexpected {type(exc).__name__}: {exc}\n"
                    "Run again with --debug for the traceback, and please report it.",
                    err=True,
                )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]
