"""Ending a `catalogctl` process without the interpreter's teardown of everything it imported.

After a command, Python's finalization frees every module, class and function the process imported
(click, httpx, pydantic and its schemas, the providers) and walks them with several full collections:
0.16-0.24 s of every `catalogctl` process on a 2-core host, ~0.3 s after a 10,000-product plan, all
of it time a user or a CI job waits for after the last line was written (issue 13). None of it can
be seen from outside. So the program does what a normal exit does up to the teardown (threads
joined, atexit handlers run, standard streams flushed) and then leaves with `os._exit`, as mypy does.

Only the program itself, and only where nothing can tell: it takes the normal exit when `run()` was
not called by the process's own `__main__` (runpy.run_module, a debugger, a caller embedding it), for a
status that is not a number, while a profiler, tracer or coverage tool watches (they write at exit),
while a thread that is not a daemon still runs after half a second's wait, when an open SQLite connection
(closing the last one folds the WAL file back into the database) or an open file other than the standard
streams remains (its buffer is flushed on close), when objects were frozen out of the collector's sight
(`gc.freeze()`: the search below cannot see them), when a standard stream cannot be flushed (a closed
pipe: Python's own exit reports that), and when anything in here fails.
"""

from __future__ import annotations

import atexit
import gc
import io
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_THREADS_ENDING_S = 0.5   # how long, in all, the program waits for threads that are not daemons to end
_SIGNALS = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}


def end_process(code: object, caller: FrameType | None) -> None:
    """End the process with `code` (a SystemExit's) without the teardown; returns without doing anything
    when the normal exit is needed (the caller then re-raises the SystemExit). `caller`: run()'s caller."""
    with _signals_held():   # a Ctrl-C now would land in the middle of the checks below: the command is done
        status = _status(code)
        try:
            fast = status is not None and _entry_point(caller) and not _needs_teardown()
        except Exception:   # whatever the search met: the normal exit is always right
            fast = False
        if not fast or not _flushed():
            return
        atexit._run_exitfuncs()   # what a normal exit runs next (logging's flush, temporary directories)
        os._exit(status if _flushed() else 120)   # 120: Python's status when the last flush fails


def _needs_teardown() -> bool:
    return _observed() or _threads_running() or gc.get_freeze_count() > 0 or _finalizers_pending()


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back (where signals can be masked); they come when it is given back."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _entry_point(caller: FrameType | None) -> bool:
    """run() was called by the process's own __main__ (the console script, or `python -m catalogctl`),
    with nothing but runpy above it: not by code that runs catalogctl and goes on after it."""
    main = sys.modules.get("__main__")
    if caller is None or main is None or caller.f_globals is not vars(main):
        return False
    frame = caller.f_back
    while frame is not None:
        if frame.f_globals.get("__name__") != "runpy":
            return False
        frame = frame.f_back
    return True


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
    """A thread that is not a daemon is still alive after a short wait: a normal exit waits for it (and a
    Ctrl-C can stop that wait, not this one, with signals held). The short wait is for threads already
    ending: the embedded sandbox's AnyIO workers stop a moment after the event loop, later on a busy machine."""
    current = threading.current_thread()
    deadline = time.monotonic() + _THREADS_ENDING_S
    for thread in threading.enumerate():
        if thread is not current and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                return True
    return False


def _finalizers_pending() -> bool:
    """Something still open whose closing the teardown would do: a SQLite connection or a file.

    By each object's type (an isinstance check would read `__class__`, which some objects compute:
    ruamel.yaml's lazy regexes compiled themselves at exit)."""
    sqlite3 = sys.modules.get("sqlite3")   # never imported: no connection to find
    connection = None if sqlite3 is None else sqlite3.Connection
    standard = _standard_streams()
    kinds: dict[type, str] = {}
    for thing in gc.get_objects():
        kind = type(thing)
        verdict = kinds.get(kind)
        if verdict is None:
            verdict = kinds[kind] = ("connection" if connection is not None and issubclass(kind, connection)
                                     else "file" if issubclass(kind, io.IOBase) else "")
        if verdict == "connection" or (verdict == "file" and id(thing) not in standard and not _closed(thing)):
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
