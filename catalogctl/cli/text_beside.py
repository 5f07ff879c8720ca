"""A new plan's text written while its walk starts (`apply --auto-approve`, issue 13).

`apply` shows the plan it carries out, then walks it. With nothing to confirm, nothing the walk does
depends on the text, and writing it is CPU alone (~0.5 s for a 10,000-product plan: 600,000 lines),
while the walk's first half second is mostly waiting for the store's answers. So the text is written
by a task of its own, a chunk (~1,000 lines, ~1 ms) at a time, in the walk's idle time: the
first requests leave ~0.5 s earlier. What a reader sees is the same: stdout gets the same text, in
full, before anything else; what the walk says on stderr meanwhile (progress lines, warnings) is held
back and written after the text's last line, so a terminal shows the two in their old order.

What differs is only what a fault while the text is written does: the walk has begun. A write that
fails (stdout closed: `catalogctl apply | head`) stops the walk as a signal would (steps in flight
finish, no new one starts, the state keeps what was done) and is raised as before once the state
and the report are written; a signal during the text stops the walk gracefully (its first steps may
be done) instead of cancelling an apply that has not started; with stderr closed the walk's progress
lines fail only when released, after the walk, so the apply finishes (before, the first one ended it).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import click

from catalogctl.apply.interrupt import Interrupt
from catalogctl.plan.model import Plan
from catalogctl.render.text import text_chunks

# A chunk's lines: what an answer of the walk may wait for. At 10,000 products text_chunks' default of 4,096
# lines took 2.1 ms a chunk at the median and 31 ms at the 99th percentile; 1,024 lines 0.5 and 1.4 ms.
_LINES = 1024


class HeldStream:
    """A text stream that keeps what is written until `release()`, then writes straight through."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._held: list[str] | None = []

    def write(self, text: str) -> int:
        if self._held is None:
            return self.stream.write(text)
        self._held.append(text)
        return len(text)

    def flush(self) -> None:
        if self._held is None:
            self.stream.flush()

    def release(self) -> None:
        """Write what was held, in order, and everything after it as it comes."""
        held, self._held = self._held, None
        if held:
            self.stream.write("".join(held))
            self.stream.flush()

    def __getattr__(self, name: str) -> Any:   # isatty, encoding, fileno: the stream's own
        return getattr(self.stream, name)


class TextBeside:
    """The plan's text, written by a task of its own beside the walk; `finish()` writes what is left."""

    def __init__(self, plan: Plan, *, color: bool, interrupt: Interrupt) -> None:
        self.stderr = HeldStream(sys.stderr)
        self._saved_stderr = sys.stderr
        sys.stderr = self.stderr   # logging's handler writes to whatever sys.stderr is (cli/main.py)
        self._chunks: Iterator[str] = text_chunks(plan, color=color, lines=_LINES)
        self._interrupt = interrupt
        self._task = asyncio.ensure_future(self._write())
        self._task.add_done_callback(self._stop_walk_on_failure)

    async def _write(self) -> None:
        # Made before the walk's first steps: let them send first (this task's first chunk builds the
        # text's view, ~50 ms at 10,000 products).
        await asyncio.sleep(0)
        for chunk in self._chunks:
            click.echo(chunk, nl=False)
            await asyncio.sleep(0)   # the walk's answers and sends go first

    def _stop_walk_on_failure(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            self._interrupt.halt("not started: the plan's text could not be written")

    def finish(self) -> BaseException | None:
        """The rest of the text, at once, then what the walk wrote to stderr meanwhile. Returns what writing
        either raised (stdout or stderr closed), for the caller to raise once the outcome is saved and
        reported: the walk's changes are made by then."""
        failed: BaseException | None = None
        try:
            if self._task.done():
                if not self._task.cancelled():
                    failed = self._task.exception()
            else:
                self._task.cancel()   # it waits at its sleep: the generator is not inside a chunk
                for chunk in self._chunks:
                    click.echo(chunk, nl=False)
        except Exception as error:
            failed = error
        finally:
            if sys.stderr is self.stderr:
                sys.stderr = self._saved_stderr
        try:
            self.stderr.release()
        except Exception as error:
            failed = failed or error
        return failed
