"""Ending a `catalogctl` process without the interpreter's teardown of everything it imported.

After a command, Python's finalization frees every module, class and function the process imported
(click, httpx, pydantic and its schemas, the providers) and walks them with several full collections:
0.16-0.24 s of every `catalogctl` process on a 2-core host, ~0.3 s after a 10,000-product plan, all
of it time a user or a CI job waits for after the last line was written (issue 13). None of it can
be seen from outside. So the entry point does what a normal exit does up to the teardown (threads
joined, atexit handlers run, standard streams flushed) and then leaves with `os._exit`, as mypy does.

It takes the normal exit instead whenever the teardown could matter: a status that is not a number,
a profiler, tracer or coverage tool that writes its results at exit, a thread that is not a daemon
still running, an open SQLite connection (closing the last one folds the WAL file back into the
database) or an open file other than the standard streams (its buffer is flushed on close), or a
standard stream that cannot be flushed (a closed pipe: Python's own exit reports that).
"""

from __future__ import annotations

import atexit
import gc
import io
import os
import sqlite3
import sys
import threading


def end_process(code: object) -> None:
    """End the process with `code` (a SystemExit's) without the teardown; returns without doing anything
    when the normal exit is needed (the caller then re-raises the SystemExit)."""
    status = _status(code)
    if status is None or _observed() or _threads_running() or _finalizers_pending() or not _flushed():
        return
    atexit._run_exitfuncs()   # what a normal exit runs next (logging's flush, temporary directories)
    if not _flushed():        # an atexit handler wrote to a stream that is gone: as Python ends then
        os._exit(120)
    os._exit(status)


def _status(code: object) -> int | None:
    """The exit status sys.exit(code) gives, for None and numbers; None for a message (printed by Python)."""
    if code is None:
        return 0
    if isinstance(code, int) and not isinstance(code, bool):
        return code & 0xFF
    return None


def _observed() -> bool:
    """A profiler, tracer or coverage tool is watching: it writes what it saw at exit."""
    if sys.getprofile() is not None or sys.gettrace() is not None or "coverage" in sys.modules:
        return True
    monitoring = getattr(sys, "monitoring", None)   # Python 3.12+: tools registered without a trace function
    return monitoring is not None and any(monitoring.get_tool(tool) is not None for tool in range(6))


def _threads_running() -> bool:
    """A thread that is not a daemon is alive: a normal exit waits for it."""
    current = threading.current_thread()
    return any(thread is not current and not thread.daemon and thread.is_alive() for thread in threading.enumerate())


def _finalizers_pending() -> bool:
    """Something still open whose closing the teardown would do: a SQLite connection or a file."""
    standard = _standard_streams()
    for thing in gc.get_objects():
        if isinstance(thing, sqlite3.Connection):
            return True
        if isinstance(thing, io.IOBase) and id(thing) not in standard and not _closed(thing):
            return True
    return False


def _standard_streams() -> set[int]:
    """The ids of the standard streams, their buffers and raw files (flushed here, never closed)."""
    found: set[int] = set()
    for stream in (sys.stdin, sys.stdout, sys.stderr, sys.__stdin__, sys.__stdout__, sys.__stderr__):
        while stream is not None and id(stream) not in found:
            found.add(id(stream))
            stream = getattr(stream, "buffer", None) or getattr(stream, "raw", None)
    return found


def _closed(stream: io.IOBase) -> bool:
    try:
        return bool(stream.closed)
    except ValueError:   # a TextIOWrapper whose buffer was detached
        return True


def _flushed() -> bool:
    """Flush stdout and stderr; False when one cannot be (closed, or a broken pipe)."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except (OSError, ValueError):
            return False
    return True
