"""Reading an answer from the terminal so that a signal always ends the wait.

input() (click.prompt) may sleep inside readline's own select() through a signal that arrived just
before it: Python runs its handler only when the read wakes, so a SIGTERM or SIGHUP at the prompt
could leave the process waiting for ever, holding the target's lock. Waiting in a Python loop of
short select() calls runs the handler within one TICK whatever the moment the signal came.
"""

from __future__ import annotations

import os
import select
import sys

import click

TICK = 0.1   # seconds: the longest a signal can wait for its handler


def ask(prompt: str) -> str:
    """Show `prompt` and return the line typed (without its newline); '' at end of input."""
    click.echo(f"{prompt}: ", nl=False)
    fd = sys.stdin.fileno()
    line = b""
    while b"\n" not in line:
        ready, _, _ = select.select([fd], [], [], TICK)
        if not ready:
            continue
        chunk = os.read(fd, 4096)
        if not chunk:   # end of input (Ctrl-D, a closed terminal)
            break
        line += chunk
    return line.split(b"\n", 1)[0].decode(errors="replace")
