"""state: per-target facts the store cannot return, kept by a backend (local file, git branch), and
the apply lock that backend holds."""

from catalogctl.state.backend import BackendPlace, StateBackend, open_backend
from catalogctl.state.file import State, atomic_write, load_state
from catalogctl.state.holder import LockHolder
from catalogctl.state.journal import StateJournal
from catalogctl.state.lock import TargetLock

__all__ = ["BackendPlace", "LockHolder", "State", "StateBackend", "StateJournal", "TargetLock", "atomic_write",
           "load_state", "open_backend"]
