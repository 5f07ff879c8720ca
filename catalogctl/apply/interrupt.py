"""Cancelling an apply by a signal: Ctrl-C (SIGINT), a CI cancel (SIGTERM), a closed terminal (SIGHUP).

All three are handled alike, by phase:
- sync work (loading the catalog, the confirmation prompt): `Interrupted` is raised at once;
- async work before the walk (reading the store, planning): the main task is cancelled;
- the walk: the first signal stops new steps and lets those in flight finish for up to `grace`
  seconds, then cancels them; a second signal cancels them at once. The walk still returns an
  outcome, so the state and the report are written and the lock is released;
- after the walk (writing state and report): signals are only counted.
The exit code is 128 + the first signal's number (130, 143, 129). A signal the parent set to be
ignored (`nohup`, a background job's SIGINT) stays ignored.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from types import FrameType
from typing import Any, Protocol

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
DEFAULT_GRACE = 10.0
"""Seconds the steps in flight may take after the first signal (GitHub Actions follows SIGINT
with SIGTERM after 7.5 s and SIGKILL 2.5 s later: the second signal cancels them anyway)."""


class Interrupted(BaseException):
    """A signal arrived while no change had been made; unwinds like KeyboardInterrupt."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class Listener(Protocol):
    """What the walk offers: stop starting steps, and cancel those in flight."""

    def stop(self, reason: str) -> None: ...

    def abort(self) -> None: ...


class _Phase(Enum):
    SYNC = "sync"
    PREPARE = "prepare"
    WALK = "walk"
    FINISHING = "finishing"


class Interrupt:
    """The signal handling of one apply; `installed()` around it all, a phase context around each part."""

    def __init__(self, grace: float = DEFAULT_GRACE) -> None:
        self.grace = grace
        self.signum: int | None = None
        self.count = 0
        self._phase = _Phase.SYNC
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None
        self._listener: Listener | None = None
        self._grace_timer: asyncio.TimerHandle | None = None

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum is not None else ""

    @property
    def exit_code(self) -> int:
        """128 + the signal number, as a shell reports a process ended by it (130 when none came)."""
        return 128 + (self.signum if self.signum is not None else signal.SIGINT)

    @property
    def reason(self) -> str:
        return f"not started: the apply was interrupted ({self.name or 'cancelled'})"

    @contextmanager
    def installed(self) -> Iterator[Interrupt]:
        """Handle the three signals until the block ends, then put the previous handlers back."""
        previous: dict[int, Any] = {}
        for signum in SIGNALS:
            current = signal.getsignal(signum)
            if current is not signal.SIG_IGN:
                previous[signum] = signal.signal(signum, self._on_signal)
        try:
            yield self
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    @contextmanager
    def preparing(self) -> Iterator[None]:
        """Async work that changes nothing yet: a signal cancels the current task."""
        self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
        self._phase = _Phase.PREPARE
        try:
            self._raise_if_signalled()
            yield
        finally:
            self._phase = _Phase.FINISHING

    @contextmanager
    def synchronous(self) -> Iterator[None]:
        """Blocking work inside the async part (a prompt, a file load): a signal raises Interrupted there."""
        before, self._phase = self._phase, _Phase.SYNC
        try:
            self._raise_if_signalled()
            yield
        finally:
            self._phase = before

    @contextmanager
    def walking(self, listener: Listener) -> Iterator[None]:
        """The walk: signals stop it gracefully through `listener`."""
        self._loop, self._listener = asyncio.get_running_loop(), listener
        self._phase = _Phase.WALK
        try:
            if self.count:   # arrived between the plan and the walk: start nothing
                self._stop_walk()
            yield
        finally:
            self._phase = _Phase.FINISHING
            self._listener = None
            if self._grace_timer is not None:
                self._grace_timer.cancel()

    def halt(self, reason: str) -> None:
        """Stop the walk as a first signal would, without one (no grace timer: the steps in flight finish)."""
        if self._phase is _Phase.WALK and self._listener is not None:
            self._listener.stop(reason)

    def _raise_if_signalled(self) -> None:
        if self.signum is not None:
            raise Interrupted(self.signum)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        # Runs in the main thread between two bytecodes: only the sync phase acts here; the async
        # phases hand the work to the event loop (call_soon_threadsafe is safe from a handler).
        self.count += 1
        if self.signum is None:
            self.signum = signum
        if self._phase is _Phase.SYNC:
            raise Interrupted(self.signum)
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._dispatch)

    def _dispatch(self) -> None:
        match self._phase:
            case _Phase.PREPARE:
                if self._task is not None and not self._task.done():
                    self._task.cancel()
            case _Phase.WALK:
                if self.count == 1:
                    self._stop_walk()
                else:
                    self._abort_walk()
            case _Phase.SYNC | _Phase.FINISHING:
                pass

    def _stop_walk(self) -> None:
        if self._listener is None or self._loop is None:
            return
        self._listener.stop(self.reason)
        if self._grace_timer is None:
            self._grace_timer = self._loop.call_later(self.grace, self._abort_walk)

    def _abort_walk(self) -> None:
        if self._listener is not None:
            self._listener.stop(self.reason)
            self._listener.abort()
